"""The public election pages: the calendar, the contestants and every facilitated location
with the contestant drawn for it, so that Bawaslu and citizens can check what hangs where."""
from flask import render_template

from .. import caching, campaign
from .. import elections as election_rules
from ..extensions import db
from ..models import Election
from . import bp


@bp.get("/elections")
@caching.public
def elections():
    """Every election on the calendar."""
    return render_template("public/elections.html", elections=election_rules.elections())


@bp.get("/elections/<int:election_id>")
@caching.public
def election(election_id: int):
    """One election: its periods, its contestants and its campaign slots."""
    found = db.get_or_404(Election, election_id)
    return render_template("public/election.html", election=found,
                           slots=campaign.election_slots(found))
