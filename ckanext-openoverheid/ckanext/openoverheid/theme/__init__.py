"""The portal's look: NL Design System tokens, a municipality's own overrides, the web app manifest."""
