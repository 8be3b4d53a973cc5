from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager

# a constant of this page: every CustomerPortal subclass is merged into one controller, so a
# class attribute here would change the page size of every portal list
REPORTS_PER_PAGE = 20


class ItsmServiceReportPortal(CustomerPortal):
    """The issued service reports of the user's company, for its designated contacts.

    Access is the user's own (record rules: issued reports of their commercial partner, only for
    contacts who see the whole company's service); no access token opens a report.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "itsm_service_report_count" in counters:
            Report = request.env["itsm.service.report"]
            values["itsm_service_report_count"] = Report.search_count([]) if Report.has_access("read") else 0
        return values

    def _itsm_service_report_get(self, report_id):
        report = request.env["itsm.service.report"].browse(report_id)
        try:
            report.check_access("read")
            report = report.exists()
        except (AccessError, MissingError):
            return None
        return report or None

    @http.route(
        ["/my/service-reports", "/my/service-reports/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_service_reports(self, page=1, **kw):
        Report = request.env["itsm.service.report"]
        count = Report.search_count([]) if Report.has_access("read") else 0
        pager = portal_pager(url="/my/service-reports", total=count, page=page, step=REPORTS_PER_PAGE)
        reports = Report.search([], limit=REPORTS_PER_PAGE, offset=pager["offset"]) if count else Report
        values = self._prepare_portal_layout_values()
        values.update({"reports": reports, "pager": pager, "page_name": "itsm_service_report"})
        return request.render("itsm_service_report.portal_my_service_reports", values)

    @http.route(["/my/service-reports/<int:report_id>"], type="http", auth="user", website=True)
    def portal_my_service_report(self, report_id, **kw):
        report = self._itsm_service_report_get(report_id)
        if not report:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        # the user may read the report (checked above): its frozen lines are read as the system
        values.update({"report": report.sudo(), "page_name": "itsm_service_report"})
        return request.render("itsm_service_report.portal_my_service_report", values)

    @http.route(["/my/service-reports/<int:report_id>/pdf"], type="http", auth="user", website=True)
    def portal_my_service_report_pdf(self, report_id, **kw):
        report = self._itsm_service_report_get(report_id)
        if not report:
            return request.redirect("/my")
        report_sudo = report.sudo()
        content = report_sudo._ensure_pdf().raw
        if not content:
            action = request.env.ref("itsm_service_report.action_report_service_report").sudo()
            content, _format = action._render_qweb_pdf(action.report_name, report_sudo.ids)
        filename = f"{report_sudo._pdf_filename()}.pdf"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(content)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )
