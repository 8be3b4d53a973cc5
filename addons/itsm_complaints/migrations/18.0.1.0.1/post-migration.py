from odoo import SUPERUSER_ID, api

# their feedback link carried the complaint's token to every follower: reload them from the module
TEMPLATES = (
    "itsm_complaints.mail_template_complaint_received",
    "itsm_complaints.mail_template_complaint_response",
    "itsm_complaints.mail_template_complaint_feedback_request",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    templates = env["mail.template"]
    for xmlid in TEMPLATES:
        templates |= env.ref(xmlid, raise_if_not_found=False) or env["mail.template"]
    templates.reset_template()
