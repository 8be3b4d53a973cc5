from collections import OrderedDict
from datetime import timedelta

from werkzeug.exceptions import Forbidden

from odoo import Command, fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import groupby as groupbyelem, plaintext2html
from odoo.tools.sql import escape_psql

from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
MAX_SUBJECT_LENGTH = 200
MAX_ANSWER_LENGTH = 2000
MAX_DESCRIPTION_LENGTH = 20000
# a portal form: its files and some room for the other fields; a larger body is refused unread
MAX_FORM_BODY_SIZE = MAX_ATTACHMENTS * MAX_ATTACHMENT_SIZE + 1024 * 1024
# records of one kind a portal user may create per period (tickets, complaints, deflections)
PORTAL_CREATE_LIMIT = 10
PORTAL_CREATE_PERIOD = timedelta(hours=1)
PORTAL_KINDS = ("incident", "service_request", "question")


class PortalRateLimited(UserError):
    """A portal user created too many records of a kind in the period: answered 429."""


def check_portal_creation_rate(env, model_name, domain, limit=None):
    """Refuse a new record of ``model_name`` when ``domain`` (the current user's records) already
    counts ``limit`` records created within PORTAL_CREATE_PERIOD.

    Counting the user's recent records through the index of their user or partner field writes
    nothing: no counter row that every request would update and lock. Checked before anything
    is written, so a refused submission leaves nothing half-written.
    """
    limit = limit or PORTAL_CREATE_LIMIT
    since = fields.Datetime.now() - PORTAL_CREATE_PERIOD
    count = env[model_name].sudo().search_count(domain + [("create_date", ">=", since)], limit=limit)
    if count >= limit:
        raise PortalRateLimited(
            env._(
                "You have sent %(count)s of these in the last %(minutes)s minutes: please wait a "
                "little before sending another one.",
                count=count,
                minutes=int(PORTAL_CREATE_PERIOD.total_seconds() // 60),
            )
        )


def read_portal_uploads(env, files):
    """The files of a portal form as (name, content), at most MAX_ATTACHMENTS of at most
    MAX_ATTACHMENT_SIZE each; a clear UserError otherwise, before anything is written."""
    uploads = [f for f in files if f and f.filename]
    if len(uploads) > MAX_ATTACHMENTS:
        raise UserError(env._("At most %s files can be attached.", MAX_ATTACHMENTS))
    attachments = []
    for upload in uploads:
        content = upload.read(MAX_ATTACHMENT_SIZE + 1)
        if len(content) > MAX_ATTACHMENT_SIZE:
            raise UserError(
                env._(
                    "File %(name)s is larger than %(size)s MB.",
                    name=upload.filename,
                    size=MAX_ATTACHMENT_SIZE // (1024 * 1024),
                )
            )
        attachments.append((upload.filename, content))
    return attachments


class ItsmCustomerPortal(CustomerPortal):
    def _document_check_access(self, model_name, document_id, access_token=None):
        """Odoo's check, and for the suite's records: a link's token opens the record only while
        it has not expired, and what the user then does is done (and logged in the chatter) as
        the user in superuser mode, not as OdooBot, which Odoo's check returns."""
        document_sudo = super()._document_check_access(model_name, document_id, access_token)
        if not hasattr(document_sudo, "_itsm_access_token_expired"):
            return document_sudo
        document_sudo = document_sudo.with_env(request.env).sudo()
        if (
            access_token
            and document_sudo._itsm_access_token_expired()
            and not document_sudo.with_env(request.env).has_access("read")
        ):
            raise AccessError(request.env._("This link has expired: log in to open it."))
        return document_sudo

    def _itsm_may_act_on_ticket(self, ticket_sudo):
        """Closing or reopening needs the session of the requester, or of a contact who follows all
        the tickets of the customer; a link's token only lets its holder read the ticket."""
        user = request.env.user
        if user._is_public() or not ticket_sudo.partner_id:
            return False
        partner = user.partner_id
        return partner == ticket_sudo.partner_id or bool(
            partner.itsm_company_access
            and ticket_sudo.commercial_partner_id
            and partner.commercial_partner_id == ticket_sudo.commercial_partner_id
        )

    def _itsm_refuse_ticket_action(self, ticket_sudo):
        if request.env.user._is_public():
            return request.redirect(f"/web/login?redirect=/my/tickets/{ticket_sudo.id}")
        raise Forbidden()

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "itsm_ticket_count" in counters:
            Ticket = request.env["itsm.ticket"]
            values["itsm_ticket_count"] = (
                Ticket.search_count(self._itsm_ticket_domain()) if Ticket.has_access("read") else 0
            )
        return values

    def _itsm_ticket_domain(self):
        # record rules restrict to the user's own (or company's) tickets; this only hides archived ones
        return [("active", "=", True)]

    def _itsm_searchbar_sortings(self):
        env = request.env
        return {
            "date": {"label": env._("Newest"), "order": "opened_at desc, id desc"},
            "number": {"label": env._("Number"), "order": "number desc"},
            "priority": {"label": env._("Priority"), "order": "priority, opened_at desc"},
            "stage": {"label": env._("Status"), "order": "stage_id, opened_at desc"},
            "update": {"label": env._("Last Update"), "order": "write_date desc"},
        }

    def _itsm_searchbar_filters(self):
        env = request.env
        return {
            "all": {"label": env._("All"), "domain": []},
            "open": {"label": env._("Open"), "domain": [("is_closed", "=", False)]},
            "closed": {"label": env._("Closed"), "domain": [("is_closed", "=", True)]},
            "mine": {
                "label": env._("Reported by me"),
                "domain": [("partner_id", "=", env.user.partner_id.id)],
            },
        }

    def _itsm_searchbar_inputs(self):
        env = request.env
        return {
            "all": {"input": "all", "label": env._("Search in All")},
            "number": {"input": "number", "label": env._("Search in Number")},
            "name": {"input": "name", "label": env._("Search in Subject")},
            "message": {"input": "message", "label": env._("Search in Messages")},
        }

    def _itsm_searchbar_groupby(self):
        env = request.env
        return {
            "none": {"input": "none", "label": env._("None")},
            "stage": {"input": "stage", "label": env._("Status"), "field": "stage_id"},
            "kind": {"input": "kind", "label": env._("Kind"), "field": "kind"},
            "priority": {"input": "priority", "label": env._("Priority"), "field": "priority"},
        }

    def _itsm_search_domain(self, search_in, search):
        if not search:
            return []
        # what is typed is searched as such: "%" and "_" are no wildcards (no LIKE oracle)
        pattern = escape_psql(search)
        domains = {
            "number": [("number", "ilike", pattern)],
            "name": [("name", "ilike", pattern)],
            # the requester's side of the conversation only, never an internal note
            "message": [("message_ids", "any", self._itsm_public_message_domain(pattern))],
        }
        if search_in in domains:
            return domains[search_in]
        return expression.OR(list(domains.values()))

    def _itsm_public_message_domain(self, pattern):
        """Messages the requester may read whose text contains ``pattern`` (already escaped)."""
        return [*request.env["mail.message"]._get_search_domain_share(), ("body", "ilike", pattern)]

    @http.route(["/my/tickets", "/my/tickets/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_tickets(
        self, page=1, sortby=None, filterby=None, search=None, search_in="all", groupby="none", **kw
    ):
        Ticket = request.env["itsm.ticket"]
        values = self._prepare_portal_layout_values()
        sortings = self._itsm_searchbar_sortings()
        filters = self._itsm_searchbar_filters()
        inputs = self._itsm_searchbar_inputs()
        groupbys = self._itsm_searchbar_groupby()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "open"
        search_in = search_in if search_in in inputs else "all"
        groupby = groupby if groupby in groupbys else "none"

        domain = expression.AND(
            [
                self._itsm_ticket_domain(),
                filters[filterby]["domain"],
                self._itsm_search_domain(search_in, search),
            ]
        )
        group_field = groupbys[groupby].get("field")
        order = sortings[sortby]["order"]
        if group_field:
            order = f"{group_field}, {order}"
        total = Ticket.search_count(domain)
        pager = portal_pager(
            url="/my/tickets",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
                "groupby": groupby,
            },
            total=total,
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(domain, order=order, limit=self._items_per_page, offset=pager["offset"])
        request.session["my_itsm_tickets_history"] = tickets.ids[:100]
        # the status of every ticket of the page in one query: a group's heading reads it on a
        # recordset of its own, which would cost one query per group
        tickets.sudo().stage_id.fetch(["name"])
        if group_field:
            grouped = [
                Ticket.concat(*group) for _key, group in groupbyelem(tickets, key=lambda t: t[group_field])
            ]
        else:
            grouped = [tickets] if tickets else []
        values.update(
            {
                "grouped_tickets": grouped,
                "tickets": tickets,
                "page_name": "itsm_ticket",
                "default_url": "/my/tickets",
                "pager": pager,
                "searchbar_sortings": sortings,
                "searchbar_filters": OrderedDict(filters),
                "searchbar_inputs": inputs,
                "searchbar_groupby": groupbys,
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
                "groupby": groupby,
            }
        )
        return request.render("itsm_helpdesk.portal_my_tickets", values)

    @http.route(["/my/tickets/<int:ticket_id>"], type="http", auth="public", website=True)
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        try:
            ticket_sudo = self._document_check_access("itsm.ticket", ticket_id, access_token)
        except MissingError:
            return request.not_found()
        except AccessError:
            if access_token and request.env.user._is_public():
                return request.redirect(f"/web/login?redirect=/my/tickets/{ticket_id}")
            return request.not_found()
        values = self._itsm_ticket_page_values(ticket_sudo, access_token, **kw)
        return request.render("itsm_helpdesk.portal_my_ticket", values)

    def _itsm_ticket_page_values(self, ticket_sudo, access_token, **kw):
        # files of the conversation the requester can see (never those of internal notes)
        attachments = ticket_sudo.message_ids.filtered(
            lambda m: not m.is_internal and not m.subtype_id.internal
        ).attachment_ids
        attachments.generate_access_token()
        values = {
            "attachments": attachments,
            "page_name": "itsm_ticket",
            "ticket": ticket_sudo,
            "can_close": not ticket_sudo.is_closed and self._itsm_may_act_on_ticket(ticket_sudo),
            "can_reopen": ticket_sudo._can_reopen() and self._itsm_may_act_on_ticket(ticket_sudo),
            "report_type": "html",
        }
        return self._get_page_view_values(
            ticket_sudo, access_token, values, "my_itsm_tickets_history", False, **kw
        )

    def _itsm_check_ticket(self, ticket_id, access_token=None):
        """The ticket, sudoed, if the current user (or the token) may read it."""
        return self._document_check_access("itsm.ticket", ticket_id, access_token)

    @http.route(
        ["/my/tickets/<int:ticket_id>/close"], type="http", auth="public", methods=["POST"], website=True
    )
    def portal_ticket_close(self, ticket_id, access_token=None, **kw):
        try:
            ticket_sudo = self._itsm_check_ticket(ticket_id, access_token)
        except (AccessError, MissingError):
            return request.not_found()
        if not self._itsm_may_act_on_ticket(ticket_sudo):
            return self._itsm_refuse_ticket_action(ticket_sudo)
        if not ticket_sudo.is_closed:
            ticket_sudo.action_close()
            ticket_sudo.message_post(
                body=request.env._("Closed by the requester from the portal."),
                author_id=request.env.user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return request.redirect(ticket_sudo.get_portal_url())

    @http.route(
        ["/my/tickets/<int:ticket_id>/reopen"], type="http", auth="public", methods=["POST"], website=True
    )
    def portal_ticket_reopen(self, ticket_id, access_token=None, **kw):
        try:
            ticket_sudo = self._itsm_check_ticket(ticket_id, access_token)
        except (AccessError, MissingError):
            return request.not_found()
        if not self._itsm_may_act_on_ticket(ticket_sudo):
            return self._itsm_refuse_ticket_action(ticket_sudo)
        if not ticket_sudo._can_reopen():
            return request.redirect(ticket_sudo.get_portal_url(query_string="&error=reopen_window"))
        ticket_sudo.action_reopen()
        ticket_sudo.message_post(
            body=request.env._("Reopened by the requester from the portal."),
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return request.redirect(ticket_sudo.get_portal_url())

    # ------------------------------------------------------------------
    # new ticket
    # ------------------------------------------------------------------
    def _itsm_portal_services(self):
        # their names are read with them: the form lists them, the catalogue names its templates'
        return (
            request.env["itsm.service"]
            .sudo()
            .search_fetch(
                [
                    ("is_published", "=", True),
                    ("company_id", "in", [False] + request.env.user.company_ids.ids),
                ],
                ["name"],
            )
        )

    def _itsm_portal_templates(self, services=None):
        """The published request templates of ``services`` (by default the services offered to
        this user)."""
        if services is None:
            services = self._itsm_portal_services()
        return (
            request.env["itsm.request.template"]
            .sudo()
            .search_fetch(
                [("is_published", "=", True), ("service_id", "in", services.ids)],
                ["name", "description", "service_id"],
            )
        )

    def _itsm_get_template(self, template_id):
        """The published template of that id offered to this user, or an empty recordset."""
        try:
            template_id = int(template_id or 0)
        except (TypeError, ValueError):
            template_id = 0
        if not template_id:
            # most requests use no template: no need to look for the catalogue
            return request.env["itsm.request.template"].sudo()
        return self._itsm_portal_templates().filtered(lambda t: t.id == template_id)

    def _itsm_new_ticket_values(self, form=None, error=None, template=None):
        env = request.env
        kinds = dict(env["itsm.ticket"]._fields["kind"]._description_selection(env))
        urgencies = env["itsm.ticket"]._fields["urgency"]._description_selection(env)
        services = self._itsm_portal_services()
        return {
            "page_name": "itsm_ticket_new",
            "services": services,
            "catalogue": self._itsm_portal_templates(services),
            "template": template or env["itsm.request.template"],
            "kinds": [(key, kinds[key]) for key in PORTAL_KINDS],
            "urgencies": urgencies,
            "form": form or {},
            "error": error or {},
        }

    @http.route(["/my/tickets/new"], type="http", auth="user", methods=["GET"], website=True)
    def portal_new_ticket(self, template_id=None, **kw):
        template = self._itsm_get_template(template_id)
        if template_id and not template:
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(self._itsm_new_ticket_values(template=template))
        return request.render("itsm_helpdesk.portal_new_ticket", values)

    def _itsm_max_form_body(self):
        """Largest body of a portal form with files; a larger one is refused before it is read."""
        return MAX_FORM_BODY_SIZE

    @http.route(
        ["/my/tickets/new"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        max_content_length=lambda controller: controller._itsm_max_form_body(),
    )
    def portal_new_ticket_submit(self, **post):
        files = request.httprequest.files.getlist("attachments")
        template = self._itsm_get_template(post.get("template_id"))
        try:
            check_portal_creation_rate(
                request.env,
                "itsm.ticket",
                [("requester_user_id", "=", request.env.uid), ("channel", "=", "portal")],
            )
            if post.get("template_id") and not template:
                raise UserError(request.env._("This request is not offered any more."))
            ticket_vals, attachments = self._itsm_validate_new_ticket(post, files)
            if template:
                ticket_vals.update(self._itsm_template_values(template, post))
        except UserError as error:
            values = self._prepare_portal_layout_values()
            values.update(
                self._itsm_new_ticket_values(
                    form=post, error={"message": str(error.args[0])}, template=template
                )
            )
            status = 429 if isinstance(error, PortalRateLimited) else 400
            return request.render("itsm_helpdesk.portal_new_ticket", values, status=status)
        ticket = self._itsm_create_portal_ticket(ticket_vals, attachments)
        return request.redirect(ticket.get_portal_url())

    def _itsm_template_values(self, template, post):
        """Check the answers to the template's questions and turn them into ticket values."""
        env = request.env
        answers = []
        for question in template.field_ids:
            raw = (post.get(f"q_{question.id}") or "").strip()
            if question.field_type == "boolean":
                raw = env._("Yes") if raw else env._("No")
            elif not raw:
                if question.is_required:
                    raise UserError(env._("Please answer: %s", question.name))
                continue
            elif question.field_type == "selection" and raw not in question._get_options():
                raise UserError(env._("Choose one of the proposed answers for: %s", question.name))
            elif question.field_type == "integer" and not raw.lstrip("-").isdigit():
                raise UserError(env._("A whole number is expected for: %s", question.name))
            elif question.field_type == "date":
                try:
                    fields.Date.to_date(raw)
                except ValueError:
                    raise UserError(env._("A date (YYYY-MM-DD) is expected for: %s", question.name)) from None
            if len(raw) > MAX_ANSWER_LENGTH:
                raise UserError(env._("The answer to %(question)s is too long.", question=question.name))
            answers.append(
                Command.create(
                    {
                        "field_id": question.id,
                        "sequence": question.sequence,
                        "name": question.name,
                        "value": raw,
                    }
                )
            )
        values = dict(template._get_ticket_defaults(), template_id=template.id, answer_ids=answers)
        return {key: value for key, value in values.items() if value}

    def _itsm_validate_new_ticket(self, post, files):
        """Turn the portal form into ticket values; raise UserError with a clear message."""
        env = request.env
        subject = (post.get("name") or "").strip()
        description = (post.get("description") or "").strip()
        if not subject:
            raise UserError(env._("Please give your request a subject."))
        if len(subject) > MAX_SUBJECT_LENGTH:
            raise UserError(env._("The subject is limited to %s characters.", MAX_SUBJECT_LENGTH))
        if not description:
            raise UserError(env._("Please describe your request."))
        if len(description) > MAX_DESCRIPTION_LENGTH:
            raise UserError(
                env._(
                    "The description is limited to %s characters: attach long logs as files.",
                    MAX_DESCRIPTION_LENGTH,
                )
            )
        kind = post.get("kind") or "incident"
        if kind not in PORTAL_KINDS:
            raise UserError(env._("Unknown kind of request."))
        urgency = post.get("urgency") or "3"
        if urgency not in dict(env["itsm.ticket"]._fields["urgency"].selection):
            raise UserError(env._("Unknown urgency."))
        service = env["itsm.service"]
        if post.get("service_id"):
            try:
                service_id = int(post["service_id"])
            except ValueError:
                raise UserError(env._("Unknown service.")) from None
            service = self._itsm_portal_services().filtered(lambda s: s.id == service_id)
            if not service:
                raise UserError(env._("Unknown service."))
        attachments = read_portal_uploads(env, files)
        partner = env.user.partner_id
        vals = {
            "name": subject,
            "description": plaintext2html(description),
            "kind": kind,
            "urgency": urgency,
            "channel": "portal",
            "partner_id": partner.id,
            "requester_user_id": env.user.id,
            "service_id": service.id or False,
        }
        if service.team_id:
            vals["team_id"] = service.team_id.id
        return vals, attachments

    def _itsm_create_portal_ticket(self, vals, attachments):
        env = request.env
        company = env.user.company_id
        team = env["itsm.team"].sudo().browse(vals.get("team_id"))
        if not team:
            # read with what the ticket's creation reads of its team: one query instead of two
            team = (
                env["itsm.team"]
                .sudo()
                .search_fetch(
                    [("company_id", "=", company.id), ("support_line", "=", "1")],
                    ["company_id", "support_line", "assignment_method", "member_ids"],
                    limit=1,
                )
            )
            vals["team_id"] = team.id or False
        ticket = env["itsm.ticket"].sudo().create(vals)
        if attachments:
            ticket._intake_attach_files(
                attachments, env.user.partner_id, env._("Files attached by the requester.")
            )
        return ticket
