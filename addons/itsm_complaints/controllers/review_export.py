from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request


class ItsmComplaintReviewExport(http.Controller):
    @http.route(["/itsm_complaints/review/<int:review_id>/xlsx"], type="http", auth="user")
    def review_xlsx(self, review_id, **kw):
        review = request.env["itsm.complaint.review"].browse(review_id).exists()
        try:
            review.check_access("read")
        except (AccessError, MissingError):
            return request.not_found()
        if not review:
            return request.not_found()
        content = review._export_xlsx()
        filename = f"{review.name}.xlsx"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
