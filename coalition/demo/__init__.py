"""The demo coalition: fictional data for exploring the app and measuring it; not part
of the product's behaviour."""
