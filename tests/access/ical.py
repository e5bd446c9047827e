"""Access to the iCal feed of a site (billboard/public/ical.py): public, like the site page."""
ACCESS = {
    "/sites/<code>.ics": {"url": "/sites/PGK-01.ics",
                          "expect": dict.fromkeys(("anonymous", "agency", "other_agency",
                                                   "reviewer", "admin"), 200)},
}
