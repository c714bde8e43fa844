"""The negotiation engine: deals all parties could accept, and the red lines that block them."""
