"""The department's match reports and exports."""
