from ..domain_errors import DomainError


class CampaignError(DomainError):
    """A refusal of the campaign-slot rules (code ``invalid`` unless said otherwise)."""
