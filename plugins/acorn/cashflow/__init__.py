"""The cash-flow forecast: Amazon's payout mechanics first, a statistical remainder after them."""
