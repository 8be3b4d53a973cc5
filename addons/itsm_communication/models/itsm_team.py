from odoo import fields, models


class ItsmTeam(models.Model):
    _inherit = "itsm.team"

    is_morale_surveyed = fields.Boolean(
        "Morale Pulse",
        default=True,
        help="Each month, the team's members are asked the short anonymous morale survey.",
    )
    morale_pulse_ids = fields.One2many("itsm.morale.pulse", "team_id", "Morale Pulses")
