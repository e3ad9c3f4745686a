"""Platform connectors: turn a platform's live feed into typed events and post comments to
the pipeline; carry auto-replies back to the room."""
