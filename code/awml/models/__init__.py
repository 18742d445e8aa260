"""Networks used by the chapters and the labs."""
