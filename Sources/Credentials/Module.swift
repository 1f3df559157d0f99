// Credentials: see ../shared/DESIGN.md for this module's responsibility; code arrives with its issue.
