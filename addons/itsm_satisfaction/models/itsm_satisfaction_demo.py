import random

from odoo import api, fields, models


class ItsmCallbackCampaign(models.Model):
    _inherit = "itsm.callback.campaign"

    @api.model
    def _demo_generate_ratings(self, seed=2026):
        """Demo ratings on resolved demo tickets: real ones of each channel and a few defaults."""
        rng = random.Random(seed)
        tickets = self.env["itsm.ticket"].search([("is_closed", "=", True), ("partner_id", "!=", False)])
        model_id = self.env["ir.model"]._get_id("itsm.ticket")
        values = []
        for ticket in tickets:
            channel = rng.choice(["email", "email", "portal", "on_site", "default", None])
            if channel is None:
                continue
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "partner_id": ticket.partner_id.id,
                    "rated_partner_id": ticket.user_id.partner_id.id,
                    "rating": 5 if channel == "default" else rng.choice([1, 3, 4, 5, 5, 5]),
                    "consumed": True,
                    "is_default": channel == "default",
                    "itsm_channel": channel,
                    "feedback": rng.choice(
                        [False, "Quick and friendly.", "Took too long.", "Clear explanations."]
                    )
                    if channel != "default"
                    else False,
                }
            )
        self.env["rating.rating"].sudo().create(values)

    @api.model
    def _demo_run_campaign(self, campaign_id):
        """Draw the demo campaign's sample and answer a few calls."""
        campaign = self.browse(campaign_id)
        campaign.period_start = fields.Date.to_date("2000-01-01")
        campaign.action_generate()
        rng = random.Random(7)
        for callback in campaign.callback_ids[:3]:
            callback.write(
                {
                    "overall_score": rng.choice(["3", "4", "5"]),
                    "timeliness_score": rng.choice(["3", "4", "5"]),
                    "courtesy_score": "5",
                    "informed": "yes",
                    "advice_given": rng.choice(["yes", "no"]),
                }
            )
            callback.action_mark_done()
