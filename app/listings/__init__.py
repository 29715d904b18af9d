"""What offers and needs share: columns, lifecycle, visibility, concurrency control."""
