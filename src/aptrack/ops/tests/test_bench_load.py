"""The load bench's report: per page requests, errors, throughput and p50/p95 against the targets,
and the child record's throughput as a ratio of the hello-world view's."""

from bench.load import PageStats, page_lines, ratio_line


def test_each_page_reports_its_figures_and_whether_it_met_the_targets():
    pages = {
        "child record": PageStats(latencies_ms=[float(ms) for ms in range(1, 101)], errors=0),
        "LA dashboard": PageStats(latencies_ms=[100.0] * 19 + [900.0], errors=2),
        "not asked for": PageStats(),
    }

    header, child, dashboard = page_lines(pages, seconds=10)

    assert "p95 < 300 ms" in header
    assert child.split() == ["child", "record", "100", "0", "10.0", "50", "95", "ok"]
    assert dashboard.split() == ["LA", "dashboard", "20", "2", "2.0", "100", "100", "MISSED"]


def test_the_ratio_is_the_child_records_throughput_over_the_hello_worlds():
    assert "= 0.25x" in ratio_line(25.0, 100.0) and ratio_line(25.0, 100.0).endswith("MISSED")
    assert "= 0.50x" in ratio_line(50.0, 100.0) and ratio_line(50.0, 100.0).endswith("ok")
    assert ratio_line(1.0, 0.0).endswith("MISSED")
