# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Benchmark: minimal tracked model",
    "summary": "Reference model for tests/benchmark/bench.py: mail.thread with two tracked fields",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "depends": ["mail"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "installable": True,
}
