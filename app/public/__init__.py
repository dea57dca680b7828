"""The agencies' public websites: host → agency resolution, public pages and the public JSON API."""
