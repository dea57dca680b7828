"""Development and test tools that are not part of the product (the channel simulator)."""
