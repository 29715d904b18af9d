"""Public pages outside the API: the landing page, the favicon, the password-reset form."""
