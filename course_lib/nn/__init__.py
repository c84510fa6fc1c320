"""Neural-network building blocks (filled in below)."""
