"""Background jobs that render and mail the weekly reports."""
