"""Woo publications: government documents "open, tenzij", with DiWoo metadata for the national Woo-index
(plugin ``openoverheid_woo``; docs/woo.md)."""
