"""The public face of a workspace: the portal page, its QR code and the widget snippet."""
