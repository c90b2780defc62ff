import cProfile
import pstats
import time

from tests.perf.test_page_times import Org, prepare


def test_profile(app, bench_data, bench_tmp):
    org = Org(
        "small",
        bench_data.many.org_ids[0],
        bench_data.many.slugs[0],
        bench_data.many.emails[0],
        1000,
    )
    prepare(app, org, bench_tmp, bench_data.owner_url)
    path = f"/o/{org.slug}/"
    for _ in range(20):
        assert org.client.get(path).status_code == 200
    t0 = time.perf_counter()
    for _ in range(100):
        org.client.get(path)
    print("PLAIN ms", (time.perf_counter() - t0) * 10)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(200):
        org.client.get(path)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(45)
    stats.sort_stats("cumulative").print_stats(70)
