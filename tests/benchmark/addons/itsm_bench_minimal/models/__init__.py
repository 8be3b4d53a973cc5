from . import itsm_bench_minimal
