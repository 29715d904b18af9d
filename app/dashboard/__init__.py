"""The department's dashboard in the browser (Vietnamese UI)."""
