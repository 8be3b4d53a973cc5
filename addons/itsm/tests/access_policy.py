"""What each role may read and change, model by model: the policy the access matrix checks.

Every model of the suite needs an entry here (the matrix fails otherwise), so that a model added
later is not forgotten. Each policy answers, for a role and the fixture's records (read as
superuser), which of them the role may read and which it may change; the matrix then checks
that nothing else comes back through the ORM.
"""


def _company_ok(case, records, path, empty_ok):
    def ok(record):
        companies = record.mapped(path) if path else record
        if not companies:
            return empty_ok
        return companies <= case.company

    return records.filtered(ok)


class Shared:
    """Reference data of every company (stages, categories, tags): no company, no ticket, no
    complaint; readable by whoever has the access right, changed by its managers only."""

    rules_required = False

    def allowed(self, case, role, records):
        return records

    def writable(self, case, role, records):
        return records


class Company:
    """Records of a company: the roles of company 1 never see company 2's. Portal users see only
    what ``portal`` lets them (nothing by default); ``internal`` narrows it for employees."""

    rules_required = True

    def __init__(self, path="company_id", empty_ok=False, portal=None, internal=None):
        self.path, self.empty_ok, self.portal, self.internal = path, empty_ok, portal, internal

    def allowed(self, case, role, records):
        records = _company_ok(case, records, self.path, self.empty_ok)
        user = role["user"]
        if user.share:
            return records.filtered(lambda r: self.portal(r, user)) if self.portal else records.browse()
        if self.internal:
            return records.filtered(lambda r: self.internal(r, user))
        return records

    def writable(self, case, role, records):
        return self.allowed(case, role, records)


class Ticket:
    """Records that show a ticket: never more than the ticket's own visibility. Records without a
    ticket follow their company; ``extra`` adds records of the role's own (a callback it makes)."""

    rules_required = True

    def __init__(self, path="ticket_id", extra=None, write=None):
        self.path, self.extra, self.write = path, extra, write

    def allowed(self, case, role, records):
        tickets = role["tickets"]

        def ok(record):
            ticket = record.mapped(self.path) if self.path else record
            if self.extra and self.extra(record, role["user"]):
                return True
            if not ticket:
                return not role["user"].share and _company_ok(case, record, "company_id", True)
            return ticket <= tickets

        return records.filtered(ok)

    def writable(self, case, role, records):
        allowed = self.allowed(case, role, records)
        return allowed.filtered(lambda r: self.write(r, role)) if self.write else allowed


class Complaint:
    """Records that show a complaint: the complaint's own visibility (confidential to the complaint
    roles, never to the agent concerned, the complainant on the portal)."""

    rules_required = True

    def __init__(self, path="complaint_id"):
        self.path = path

    def allowed(self, case, role, records):
        return records.filtered(lambda r: (r.mapped(self.path) if self.path else r) <= role["complaints"])

    def writable(self, case, role, records):
        return self.allowed(case, role, records)


class Document:
    """Core records attached to a document (messages, followers, activities, attachments,
    ratings): those of the documents the role may read. Documents of other applications are not
    this suite's to judge."""

    rules_required = False

    def __init__(self, model_field="res_model", id_field="res_id", own=None, write=None):
        self.model_field, self.id_field, self.own, self.write = model_field, id_field, own, write

    def allowed(self, case, role, records):
        user = role["user"]

        def ok(record):
            if self.own and self.own(record, user):
                return True
            model, res_id = record[self.model_field], record[self.id_field]
            if model not in POLICY or not res_id:
                return True
            internal_note = record._name == "mail.message" and (
                record.message_type == "comment"
                and (record.is_internal or record.subtype_id.internal or not record.subtype_id)
            )
            if user.share and internal_note:
                return False
            document = case.env[model].browse(res_id).exists()
            return bool(document) and document in case.allowed_records(model, role)

        return records.filtered(ok)

    def writable(self, case, role, records):
        allowed = self.allowed(case, role, records)
        return allowed.filtered(lambda r: self.write(r, role)) if self.write else allowed


def _own_message(message, user):
    return message.author_id == user.partner_id or user.partner_id in (
        message.partner_ids | message.notification_ids.res_partner_id
    )


def _published_for(announcement, user):
    return announcement.state == "published" and (
        not announcement.partner_ids or user.commercial_partner_id in announcement.partner_ids
    )


def _contract_for(contract, user):
    return contract.partner_id == user.commercial_partner_id and contract.state in ("trial", "active")


def _service_report_for(report, user):
    return (
        report.state == "issued"
        and report.partner_id == user.commercial_partner_id
        and user.partner_id.itsm_company_access
    )


def _is_desk_manager(record, user):
    return user.has_group("itsm_helpdesk.group_itsm_manager")


def _is_ticket_rating(rating):
    return rating.res_model == "itsm.ticket"


def _complaint_roles(user):
    return user.has_group("itsm_complaints.group_complaint_handler") or user.has_group(
        "itsm_complaints.group_improvement_lead"
    )


def _communication_manager(user):
    return user.has_group("itsm_communication.group_communication_manager")


def _improvement_planner(action, user):
    return (
        _complaint_roles(user)
        or action.owner_id == user
        or (action.morale_pulse_id and _communication_manager(user))
        or (not action.restricted and user.has_group("itsm_helpdesk.group_itsm_manager"))
    )


def _desk_manager(role):
    return role["user"].has_group("itsm_helpdesk.group_itsm_manager")


SHARED = Shared()

POLICY = {
    # service desk
    "itsm.ticket": Ticket(path=None),
    "itsm.ticket.escalation": Ticket(),
    "itsm.ticket.checklist": Ticket(),
    "itsm.ticket.answer": Ticket(),
    "itsm.major.incident.review": Ticket(),
    "itsm.vendor.ticket": Ticket(),
    "itsm.vendor.ticket.report": Ticket(),
    "itsm.desk.report": Ticket(),
    "itsm.kb.deflection": Ticket(),
    "itsm.team": Company(),
    "itsm.service": Company(empty_ok=True),
    "itsm.request.template": Company(empty_ok=True),
    "itsm.request.template.checklist": Company("template_id.company_id", empty_ok=True),
    "itsm.request.template.field": Company("template_id.company_id", empty_ok=True),
    "itsm.priority.rule": Company(empty_ok=True),
    "itsm.problem": Company(),
    "itsm.recurring.incident": Company(),
    "itsm.monitoring.source": Company(),
    "itsm.monitoring.alert": Company(),
    "itsm.monitoring.fingerprint": Company(),
    "itsm.kb.article": Company(empty_ok=True, portal=lambda article, user: article.is_published),
    "itsm.announcement": Company(portal=_published_for),
    "itsm.stage": SHARED,
    "itsm.ticket.category": SHARED,
    "itsm.tag": SHARED,
    "itsm.contact.channel": SHARED,
    "itsm.kb.category": SHARED,
    "itsm.kb.tag": SHARED,
    # service levels
    "itsm.sla.contract": Company(portal=_contract_for),
    "itsm.sla.target": Company(portal=lambda target, user: _contract_for(target.contract_id, user)),
    "itsm.sla.threshold": Company("contract_id.company_id"),
    "itsm.sla.requirement": Company(),
    "itsm.sla.requirement.line": Company("requirement_id.company_id"),
    "itsm.sla.review": Company(),
    "itsm.ticket.sla": Ticket(),
    "itsm.ticket.sla.event": Ticket("line_id.ticket_id"),
    "itsm.sla.report": Ticket(),
    "itsm.sla.demand.report": Ticket(),
    # satisfaction
    "itsm.callback.campaign": Company(),
    "itsm.callback": Ticket(
        extra=lambda callback, user: callback.caller_id == user,
        # the caller records the answers; nobody else rewrites a customer's opinion
        write=lambda callback, role: callback.caller_id == role["user"] or _desk_manager(role),
    ),
    "itsm.satisfaction.report": Ticket(extra=lambda row, user: row.callback_id.caller_id == user),
    "itsm.survey.contact": Company(),
    "itsm.satisfaction.kind": SHARED,
    # complaints
    "itsm.complaint": Complaint(path=None),
    "itsm.complaint.step.log": Complaint(),
    "itsm.complaint.category": SHARED,
    "itsm.complaint.step": Company(empty_ok=True),
    "itsm.complaint.review": Company(),
    "itsm.complaint.review.line": Company("review_id.company_id"),
    # figures without names: the company's complaints, never one about the reader
    "itsm.complaint.report": Company(internal=lambda row, user: row.complaint_id.agent_id != user),
    # the one improvement register (itsm_helpdesk): an owner works on their own, desk managers plan
    # it; an action of a confidential source (complaint, morale) is restricted to its owner and the
    # roles of that source
    "itsm.improvement.action": Company(internal=_improvement_planner),
    "itsm.complaint.shared.response": Company(
        internal=lambda response, user: (
            response.agent_id == user or user.has_group("itsm_complaints.group_complaint_process_owner")
        )
    ),
    # service reports: their customer's designated contacts read the issued ones
    "itsm.service.report": Company(portal=_service_report_for),
    "itsm.service.report.sla": Company(),
    "itsm.service.report.line": Company(),
    "itsm.service.report.trend": Company(),
    # management reports: the whole company's figures, for desk (service) managers only
    "itsm.management.report": Company(internal=_is_desk_manager),
    "itsm.management.report.line": Company(internal=_is_desk_manager),
    "itsm.management.report.trend": Company(internal=_is_desk_manager),
    # stakeholder communication: confidential to the communication roles, deliveries to their
    # recipients, held service reviews to the customer's designated contacts
    "itsm.stakeholder": Company(),
    "itsm.communication.plan": Company(),
    "itsm.communication.plan.line": Company(),
    "itsm.communication.plan.review": Company(),
    "itsm.communication.highlight": Company(),
    "itsm.communication.delivery": Company(
        portal=lambda delivery, user: (
            delivery.state == "sent" and user.partner_id in delivery.recipient_partner_ids
        )
    ),
    "itsm.relationship.review": Company(
        portal=lambda review, user: (
            review.state == "done"
            and review.partner_id == user.commercial_partner_id
            and user.partner_id in review.contact_partner_ids
        )
    ),
    "itsm.relationship.notice": Company(empty_ok=True),
    # staff morale: the pulses (who was invited) to the communication managers; each team's
    # figures to its members and lead as well (the figures themselves hidden below five answers)
    "itsm.morale.pulse": Company(internal=lambda pulse, user: _communication_manager(user)),
    "itsm.morale.report": Company(
        internal=lambda row, user: (
            _communication_manager(user)
            or (
                user.has_group("itsm_helpdesk.group_itsm_agent")
                and (user in row.team_id.member_ids or row.team_id.leader_id == user)
            )
        )
    ),
    # itsm_evidence: the export log, of the exporter's company; read-only once written
    "itsm.evidence.export": Company(),
    # core models through which the suite's records show
    "mail.message": Document("model", "res_id", own=_own_message),
    "mail.followers": Document(),
    "mail.activity": Document(own=lambda activity, user: activity.user_id == user),
    "ir.attachment": Document(own=lambda attachment, user: attachment.public),
    # ticket ratings are written by the system only, never by an employee (the rated agent)
    "rating.rating": Document(write=lambda rating, role: not _is_ticket_rating(rating)),
}
