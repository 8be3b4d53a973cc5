import re
import time
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools import file_open

from .common import DASHBOARDS, DashboardCommon

FORMULA = re.compile(r'(PIVOT\.VALUE|PIVOT\.HEADER|ODOO\.LIST)\((\d+)(?:,"([^"]*)")?')


@tagged("post_install", "-at_install")
class TestDashboardData(DashboardCommon):
    """Every data source of the dashboards names existing models and fields: a renamed field fails here."""

    def _assert_path(self, model, path, where):
        self.assertIn(model, self.env, f"{where}: no model {model}")
        path = path.split(":")[0]  # opened_at:month
        for name in path.split("."):
            field = self.env[model]._fields.get(name)
            self.assertTrue(field, f"{where}: {model} has no field {name}")
            model = field.comodel_name or model

    def _assert_domain(self, model, domain, where):
        for leaf in domain:
            if isinstance(leaf, list):
                self._assert_path(model, leaf[0], where)

    def _assert_matching(self, model, matching, filters, where):
        for filter_id, match in matching.items():
            self.assertIn(filter_id, filters, f"{where}: unknown global filter")
            self._assert_path(model, match["chain"], where)
            field = self.env[model]._fields[match["chain"]]
            self.assertEqual(field.type, match["type"], f"{where}: {match['chain']} is a {field.type}")

    def test_sources_name_existing_models_and_fields(self):
        for name in DASHBOARDS:
            snapshot = self._snapshot(name)
            filters = {f["id"]: f for f in snapshot["globalFilters"]}
            self.assertIn("date", [f["type"] for f in filters.values()], f"{name}: no date filter")
            for pivot in snapshot["pivots"].values():
                where = f"{name} pivot {pivot['name']}"
                model = pivot["model"]
                for measure in pivot["measures"]:
                    if measure["fieldName"] != "__count":
                        self._assert_path(model, measure["fieldName"], where)
                        self.assertTrue(self.env[model]._fields[measure["fieldName"]].aggregator, where)
                for group in pivot["rows"] + pivot["columns"]:
                    self._assert_path(model, group["fieldName"], where)
                self._assert_domain(model, pivot["domain"], where)
                self._assert_matching(model, pivot["fieldMatching"], filters, where)
            for list_ in snapshot["lists"].values():
                where = f"{name} list {list_['name']}"
                for column in list_["columns"] + [order["name"] for order in list_["orderBy"]]:
                    self._assert_path(list_["model"], column, where)
                self._assert_domain(list_["model"], list_["domain"], where)
                self._assert_matching(list_["model"], list_["fieldMatching"], filters, where)
            charts = [
                f["data"] for f in snapshot["sheets"][0]["figures"] if f["data"]["type"].startswith("odoo_")
            ]
            self.assertTrue(charts, f"{name}: no chart")
            for chart in charts:
                where = f"{name} chart {chart['title']['text']}"
                model = chart["metaData"]["resModel"]
                if chart["metaData"]["measure"] != "__count":
                    self._assert_path(model, chart["metaData"]["measure"], where)
                for group in chart["metaData"]["groupBy"]:
                    self._assert_path(model, group, where)
                self._assert_domain(model, chart["searchParams"]["domain"], where)
                self._assert_matching(model, chart["fieldMatching"], filters, where)
            for menu in snapshot["chartOdooMenusReferences"].values():
                self.assertTrue(self.env.ref(menu, raise_if_not_found=False), f"{name}: no menu {menu}")

    def test_formulas_read_declared_sources(self):
        for name in DASHBOARDS:
            snapshot = self._snapshot(name)
            found = 0
            for cell in snapshot["sheets"][0]["cells"].values():
                for function, source_id, arg in FORMULA.findall(cell["content"]):
                    found += 1
                    if function == "ODOO.LIST":
                        self.assertIn(source_id, snapshot["lists"], f"{name}: {cell['content']}")
                        continue
                    pivot = snapshot["pivots"].get(source_id)
                    self.assertTrue(pivot, f"{name}: {cell['content']}")
                    if function == "PIVOT.VALUE":
                        self.assertIn(
                            arg, [m["fieldName"] for m in pivot["measures"]], f"{name}: {cell['content']}"
                        )
            self.assertGreater(found, 20, f"{name}: too few figures")

    def test_every_source_reads_for_its_audience(self):
        """A figure shown to a role reads for that role: no cell of its dashboard fails on access.

        A desk manager or a service level manager without a complaint role reads the complaint
        figures (no names, no text), not the complaints.
        """
        audiences = {
            "desk_lead": self.agent,
            "service_manager": self.sla_manager,
            "management": self.desk_manager,
        }
        for name, user in audiences.items():
            self.assertIn(name, self._visible(user))
            snapshot = self._snapshot(name)
            sources = [(p["model"], p["domain"]) for p in snapshot["pivots"].values()]
            sources += [(lst["model"], lst["domain"]) for lst in snapshot["lists"].values()]
            sources += [
                (f["data"]["metaData"]["resModel"], f["data"]["searchParams"]["domain"])
                for f in snapshot["sheets"][0]["figures"]
                if f["data"]["type"].startswith("odoo_")
            ]
            for model, domain in sources:
                with self.subTest(dashboard=name, model=model):
                    self.env[model].with_user(user).read_group(domain, ["__count"], [], lazy=False)
        complaints = self.env["itsm.complaint.report"].with_user(self.desk_manager)
        self.assertTrue(complaints.search_count([]), "the demo's complaints are counted")
        self.assertFalse(self.env["itsm.complaint"].with_user(self.desk_manager).has_access("read"))

    def test_sample_dashboards_load(self):
        for dashboard in self.dashboards.values():
            with file_open(dashboard.sample_dashboard_file_path) as sample:
                self.assertTrue(sample.read().strip().startswith("{"))
            self.assertTrue(
                dashboard.with_user(self.desk_manager).get_readonly_dashboard()["snapshot"]["sheets"]
            )


@tagged("post_install", "-at_install")
class TestDashboardSpeed(DashboardCommon):
    """The grouped reads behind each dashboard (pivots, lists, charts) stay under a second on the demo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.director = new_test_user(
            cls.env,
            "dash_director",
            groups="base.group_user,itsm_helpdesk.group_itsm_manager,itsm_complaints.group_complaint_process_owner",
        )

    def _period(self, matching):
        """The domain of the default period (the last 365 days) on the source's date field."""
        now = fields.Datetime.now()
        domain = []
        for match in matching.values():
            start, end = now - timedelta(days=365), now + timedelta(days=1)
            if match["type"] == "date":
                start, end = start.date(), end.date()
            domain += [(match["chain"], ">=", start), (match["chain"], "<", end)]
        return domain

    def _aggregates(self, model, measures):
        return [m if m == "__count" else f"{m}:{self.env[model]._fields[m].aggregator}" for m in measures]

    def _load(self, snapshot):
        env = self.env(user=self.director)
        for pivot in snapshot["pivots"].values():
            model = env[pivot["model"]]
            domain = pivot["domain"] + self._period(pivot["fieldMatching"])
            aggregates = self._aggregates(pivot["model"], [m["fieldName"] for m in pivot["measures"]])
            groupby = [
                g["fieldName"] + (f":{g['granularity']}" if g.get("granularity") else "")
                for g in pivot["rows"] + pivot["columns"]
            ]
            model.read_group(domain, aggregates, [], lazy=False)
            if groupby:
                model.read_group(domain, aggregates, groupby, lazy=False)
        for list_ in snapshot["lists"].values():
            env[list_["model"]].search_read(
                list_["domain"] + self._period(list_["fieldMatching"]), list_["columns"], limit=10
            )
        for figure in snapshot["sheets"][0]["figures"]:
            chart = figure["data"]
            if chart["type"].startswith("odoo_"):
                meta = chart["metaData"]
                env[meta["resModel"]].read_group(
                    chart["searchParams"]["domain"] + self._period(chart["fieldMatching"]),
                    self._aggregates(meta["resModel"], [meta["measure"]]),
                    meta["groupBy"],
                    lazy=False,
                )

    def test_each_dashboard_loads_within_a_second(self):
        for name in DASHBOARDS:
            snapshot = self._snapshot(name)
            self.env.invalidate_all()
            start = time.perf_counter()
            self._load(snapshot)
            elapsed = time.perf_counter() - start
            self.assertLess(elapsed, 1.0, f"{name} read its data in {elapsed:.2f} s")
