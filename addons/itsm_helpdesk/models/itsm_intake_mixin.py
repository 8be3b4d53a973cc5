from markupsafe import Markup

from odoo import Command, api, models, tools
from odoo.tools import groupby


class ItsmIntakeMixin(models.AbstractModel):
    """What the records that people outside the desk open have in common (tickets, complaints):
    a number from their company's own sequence, and intake by e-mail from a sender who becomes
    the record's partner, in a thread nobody else writes into.

    A model using it has ``number``, ``name``, ``channel``, ``description``, ``partner_id``,
    ``partner_email`` and ``company_id``, sets ``_intake_sequence_code`` and
    ``_intake_sequence_prefix``, and calls ``_prepare_numbers`` in its ``create``.
    """

    _name = "itsm.intake.mixin"
    _description = "Numbered Records Opened by E-mail"

    _intake_sequence_code = None
    _intake_sequence_prefix = None

    # ------------------------------------------------------------------
    # numbering
    # ------------------------------------------------------------------
    @api.model
    def _intake_sequence_name(self):
        """The name of the numbering, as listed in Settings ‣ Technical ‣ Sequences."""
        return self._description

    @api.model
    def _prepare_numbers(self, vals_list):
        """Give each new record its company's next number, one query per company."""
        new = self.env._("New")
        to_number = [vals for vals in vals_list if not vals.get("number") or vals["number"] == new]
        for company_id, company_vals in groupby(to_number, key=lambda vals: vals["company_id"]):
            sequence = self._get_intake_sequence(company_id)
            for vals, number in zip(
                company_vals, sequence._itsm_next_numbers(len(company_vals)), strict=True
            ):
                vals["number"] = number

    @api.model
    def _get_intake_sequence(self, company_id):
        """The company's sequence of this model, created with the company (see res.company)."""
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search_fetch(
            [("code", "=", self._intake_sequence_code), ("company_id", "=", company_id)],
            ["implementation", "use_date_range", "prefix", "suffix", "padding", "number_increment"],
            limit=1,
        )
        if not sequence:
            sequence = Sequence.create(
                {
                    "name": self._intake_sequence_name(),
                    "code": self._intake_sequence_code,
                    "company_id": company_id,
                    "prefix": self._intake_sequence_prefix,
                    "padding": 5,
                }
            )
        return sequence

    # ------------------------------------------------------------------
    # files given with a new record
    # ------------------------------------------------------------------
    def _intake_attach_files(self, files, author, body):
        """Keep the files given with a new record on one message of its conversation.

        ``files`` are ``(name, content)`` pairs, ``author`` the partner who gave them. The
        message is a comment (the requester finds the files on the portal, the desk in the
        chatter), created without notifying anyone, as Odoo's website forms attach theirs: the
        author knows what they sent, and the desk is told of the record itself (its assignment),
        not once more of its files. A posted message would have e-mailed the followers (a
        rendered notification per submission, about 40 % of a portal submission's time).
        """
        self.ensure_one()
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {"name": name, "raw": content, "res_model": self._name, "res_id": self.id}
                    for name, content in files
                ]
            )
        )
        return self.sudo()._message_create(
            [
                {
                    "model": self._name,
                    "res_id": self.id,
                    "body": Markup("<p>%s</p>") % body,
                    "message_type": "comment",
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
                    "is_internal": False,
                    "author_id": author.id,
                    "email_from": author.email_formatted,
                    "attachment_ids": [Command.set(attachments.ids)],
                }
            ]
        )

    # ------------------------------------------------------------------
    # intake by e-mail
    # ------------------------------------------------------------------
    @api.model
    def _prepare_mail_intake_values(self, msg_dict, custom_values=None):
        """``(values, author)`` of a record opened by an e-mail: its subject, body and channel,
        and its sender as the partner (``author``: found, or created from the address)."""
        values = dict(custom_values or {})
        values.setdefault("name", (msg_dict.get("subject") or "").strip() or self.env._("(no subject)"))
        values.setdefault("channel", "email")
        values.setdefault("description", msg_dict.get("body") or "")
        author = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        email_from = msg_dict.get("email_from")
        if not author and email_from and tools.email_normalize(email_from):
            author = self.env["res.partner"].find_or_create(email_from)
        if author:
            values.setdefault("partner_id", author.id)
        values.setdefault("partner_email", tools.email_normalize(email_from or "") or email_from or False)
        return values, author

    def _routing_filter_reply(self, message_dict, route):
        """Nobody outside a record writes into it by e-mail, and no e-mail is an employee's answer.

        A reply from someone who does not take part (``_is_mail_participant``) opens a record of
        its own (a Message-ID is no proof of taking part: anyone Cc'd on a thread knows it), with
        the values of ``_get_reply_as_new_values``. A reply from an employee's address is posted
        as an internal note: the gateway cannot authenticate a sender, so it never speaks for an
        employee.
        """
        record = self.browse(route[1]).exists()
        if not record:
            return route
        author = self.env["res.partner"].browse(message_dict.get("author_id") or []).exists()
        if author.user_ids.filtered(lambda user: not user.share):
            message_dict["is_internal"] = True
            # the gateway would send a note replying to a message to that message's author,
            # who may be the requester
            message_dict.pop("parent_id", None)
            return route
        if record._is_mail_participant(author, message_dict.get("email_from")):
            return route
        message_dict.pop("is_internal", None)
        return (route[0], False, record._get_reply_as_new_values(route), route[3], route[4])

    def _is_mail_participant(self, author, email_from):
        """Whether the sender of an e-mail (a partner, or only an address) takes part in the record."""
        self.ensure_one()
        email = tools.email_normalize(email_from or "")
        if email and email == tools.email_normalize(self.partner_email or ""):
            return True
        return bool(author) and (author == self.partner_id or author in self.message_partner_ids)

    def _get_reply_as_new_values(self, route):
        """The values of the record opened by an outsider's reply to this one."""
        self.ensure_one()
        return dict(route[2] or {})
