"""Direct booking: requests guests send from an agency's public website, and how the agency answers them."""
