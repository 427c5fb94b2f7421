"""Unit tests of `calibrate` (scripts/healthwh/calibrate.py) and the numpy baselines
(scripts/healthwh/baselines.py) on synthetic observations."""

from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path

import numpy as np
import pytest
from healthwh import baselines as bl
from healthwh import calibrate as cal
from healthwh.seeds import components

ROOT = Path(__file__).resolve().parents[1]


LIVE_WEIGHTS = ROOT / "seeds" / "health_weights.csv"
LIVE_METRICS = ROOT / "seeds" / "health_metrics.csv"
LIVE_BANDS = ROOT / "seeds" / "health_bands.csv"
METRICS = ["m_usage", "m_value", "m_billing", "m_support", "m_sentiment"]


def write_catalogue(path: Path) -> Path:
    """One metric per component, higher_is_better, absolute 0..1, weight 1."""
    lines = ["metric,component,direction,threshold_type,low,high,weight,missing_value,description"]
    for name in METRICS:
        lines.append(f"{name},{name[2:]},higher_is_better,absolute,0,1,1,,synthetic")
    path.write_text("\n".join(lines) + "\n")
    return path


def synthetic(n_dates: int = 12, per_date: int = 400, signal=lambda day: "support",
              strength: float = 5.0, base: float = -1.5, seed: int = 7,
              profiles: tuple[str, ...] = ("smb", "enterprise")) -> cal.MetricObservations:
    """Account i is observed on every date; its metric values are uniform(0, 1) noise,
    except that churn on date d is driven by the metric `signal(d)`. 10 % of the
    sentiment values are missing (excluded), as in real data."""
    rng = np.random.default_rng(seed)
    n = n_dates * per_date
    start = np.datetime64("2025-01-01")
    dates = np.repeat(start + np.arange(n_dates) * np.timedelta64(28, "D"), per_date)
    values = rng.uniform(0, 1, size=(n, len(METRICS)))
    values[rng.uniform(size=n) < 0.1, METRICS.index("m_sentiment")] = np.nan
    driver = np.array([values[i, METRICS.index(f"m_{signal(i // per_date)}")] for i in range(n)])
    p = 1 / (1 + np.exp(-(base - strength * (driver - 0.5))))
    churned = rng.uniform(size=n) < p
    return cal.MetricObservations(
        observation_date=dates.astype("datetime64[D]"),
        horizon_end_date=(dates + np.timedelta64(90, "D")).astype("datetime64[D]"),
        account_id=np.array([f"a{i % per_date}" for i in range(n)], dtype=object),
        profile=np.array([profiles[(i % per_date) % len(profiles)] for i in range(n)],
                         dtype=object),
        in_renewal_window=np.array([(i % per_date) % 5 == 0 for i in range(n)]),
        churned=churned,
        health_score=np.nanmean(values, axis=1) * 100,
        metrics=list(METRICS),
        value_used=values.copy(),
        subscore=values.copy(),
    )


@pytest.fixture()
def catalogue(tmp_path) -> cal.MetricsFile:
    return cal.read_metrics(write_catalogue(tmp_path / "health_metrics.csv"))


def live_weights() -> dict[str, np.ndarray]:
    return cal.read_weights(LIVE_WEIGHTS).weights


def run_calibrate(obs, catalogue, **kwargs) -> cal.CalibrationResult:
    return cal.calibrate(obs, catalogue, live_weights(), cal.read_bands(LIVE_BANDS),
                         resamples=100, **kwargs)


# --------------------------------------------------------------------------- measures


def test_auc_hand_computed_case_matches_sql_unit_test():
    # churners score 10 and 50, retained 50, 70, 90: 5.5 of 6 pairs ordered right
    score = np.array([10.0, 50.0, 50.0, 70.0, 90.0])
    churned = np.array([True, True, False, False, False])
    assert cal.churn_auc(score, churned) == pytest.approx(5.5 / 6)


def test_auc_edges():
    churned = np.array([True, False, True, False])
    assert cal.churn_auc(np.array([1.0, 2.0, 1.0, 2.0]), churned) == 1.0
    assert cal.churn_auc(np.array([2.0, 1.0, 2.0, 1.0]), churned) == 0.0
    assert cal.churn_auc(np.array([5.0, 5.0, 5.0, 5.0]), churned) == 0.5
    assert math.isnan(cal.churn_auc(np.array([1.0, 2.0]), np.array([False, False])))
    # NaN scores are left out, not read as low
    assert cal.churn_auc(np.array([1.0, np.nan, 2.0]), np.array([True, True, False])) == 1.0


def test_average_ranks_share_ties():
    assert bl.average_ranks(np.array([3.0, 1.0, 3.0, 2.0])).tolist() == [3.5, 1.0, 3.5, 2.0]


def test_weighted_score_renormalises_over_observed_components():
    weights = np.array([0.30, 0.25, 0.20, 0.15, 0.10])
    subscores = np.array(
        [
            [0.5, np.nan, 1.0, np.nan, np.nan],  # (0.15 + 0.20) / 0.50
            [1.0, 1.0, 1.0, 1.0, 1.0],
            [np.nan] * 5,  # nothing observed: no score
        ]
    )
    score = cal.weighted_score(subscores, weights)
    assert score[0] == pytest.approx(70.0)
    assert score[1] == pytest.approx(100.0)
    assert math.isnan(score[2])


def test_component_subscores_are_weighted_means_of_observed_metrics():
    sub = np.array([[0.5, 1.0, np.nan], [np.nan, np.nan, 0.2], [0.0, 1.0, 1.0]])
    component = np.array([0, 0, 1])
    comp = cal.component_subscores(sub, np.array([1.0, 3.0, 0.0]), component)
    assert comp[0, 0] == pytest.approx((0.5 + 3.0) / 4)
    assert math.isnan(comp[1, 0])  # no usage metric observed
    assert math.isnan(comp[1, 1])  # the only observed value weighs 0
    assert comp[2, 0] == pytest.approx(0.75)


def test_absolute_thresholds_clamp_and_invert(catalogue):
    obs = synthetic(n_dates=2, per_date=5)
    obs.value_used[:, 0] = [-1, 0.25, 0.5, 2, np.nan] * 2
    cfg = cal.live_config(catalogue, live_weights())
    cfg.absolute[0], cfg.low[0], cfg.high[0] = True, 0.0, 0.5
    sub = cal.metric_subscores(obs, cfg, catalogue.lower_is_better)
    assert sub[:5, 0].tolist()[:4] == [0.0, 0.5, 1.0, 1.0] and math.isnan(sub[4, 0])
    lower = catalogue.lower_is_better.copy()
    lower[0] = True
    assert cal.metric_subscores(obs, cfg, lower)[:4, 0].tolist() == [1.0, 0.5, 0.0, 0.0]


def test_band_rates_top_band_includes_100():
    bands = cal.read_bands(LIVE_BANDS)
    rates = cal.band_rates(
        np.array([10.0, 39.99, 40.0, 100.0, 70.0]),
        np.array([True, False, True, False, False]),
        bands,
    )
    assert rates.observations == [2, 1, 2]
    assert rates.churn_rates == [0.5, 1.0, 0.0]
    assert not rates.is_monotonic
    assert math.isnan(rates.lowest_highest_ratio)  # highest band had no churn


def test_logistic_regression_finds_the_driver_and_its_sign():
    obs = synthetic(n_dates=4, per_date=500, signal=lambda d: "billing")
    model = bl.fit_logistic(obs.value_used, obs.churned)
    coef = dict(zip(model.columns.tolist(), model.coef.tolist(), strict=True))
    billing = METRICS.index("m_billing")
    assert coef[billing] < 0  # more of a higher_is_better metric, less churn
    assert abs(coef[billing]) == max(abs(c) for c in coef.values())
    p = bl.predict_logistic(model, obs.value_used)
    assert bl.churn_auc(-p, obs.churned) > 0.75
    # a constant column is dropped, not divided by zero
    values = obs.value_used.copy()
    values[:, 0] = 3.0
    assert 0 not in bl.fit_logistic(values, obs.churned).columns.tolist()


def test_bootstrap_interval_brackets_the_estimate():
    obs = synthetic(n_dates=3, per_date=300, signal=lambda d: "value")
    a = obs.value_used[:, METRICS.index("m_usage")]
    b = obs.value_used[:, METRICS.index("m_value")]
    d = bl.bootstrap_auc_difference(a, b, obs.churned, obs.account_id, resamples=100)
    assert d.low < d.estimate < d.high and d.estimate > 0.1 and d.low > 0
    # a score against itself: no difference at all
    same = bl.bootstrap_auc_difference(a, a, obs.churned, obs.account_id, resamples=50)
    assert same.estimate == 0 and same.high == 0


# --------------------------------------------------------------------------- fitting


def test_fit_keeps_weights_on_the_simplex_and_finds_the_signal():
    obs = synthetic(n_dates=6, signal=lambda d: "billing")
    start = np.array([0.30, 0.25, 0.20, 0.15, 0.10])
    fitted = cal.fit_weights(obs.subscore, obs.churned, start)
    assert (fitted >= 0).all()
    assert fitted.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.allclose(fitted * 100, np.rint(fitted * 100))  # a 0.01 grid
    billing = components().index("billing")
    assert fitted[billing] == fitted.max() > start[billing]


def test_logistic_seed_form_ranks_as_the_regression_and_flips_a_direction(catalogue, tmp_path):
    # support drives churn the other way round from its seed direction (more support,
    # more churn): the seed form must turn the direction, not drop the metric
    obs = synthetic(n_dates=8, per_date=500, signal=lambda d: "support", strength=-5.0)
    scorer = cal.Scorer(catalogue)
    current = cal.live_config(catalogue, live_weights())
    train = obs.subset(obs.observation_date < obs.observation_date[4 * 500])
    later = obs.subset(obs.observation_date >= obs.observation_date[4 * 500])
    usable = cal.informative_metrics(train)
    seeds = cal.logistic_seed_config(scorer, train, current, usable)
    support = METRICS.index("m_support")
    assert seeds.flipped[support] and seeds.metric_weight[support] > 0
    for weights in seeds.component_weights.values():
        assert (weights >= 0).all() and weights.sum() == pytest.approx(1.0, abs=1e-9)
    model = bl.fit_logistic(np.where(usable, train.value, np.nan), train.churned)
    lr = bl.churn_auc(-bl.predict_logistic(model, later.value), later.churned)
    assert bl.churn_auc(scorer.score(later, seeds), later.churned) == pytest.approx(lr, abs=1e-9)
    out = tmp_path / "m.csv"
    cal.write_metrics(catalogue, seeds, out)
    with out.open(newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["metric"] == "m_support")
    assert row["direction"] == "lower_is_better" and row["threshold_type"] == "absolute"
    # the written seed scores as the evaluated candidate
    again = cal.read_metrics(out)
    written = cal.live_config(again, seeds.component_weights)
    written.absolute[:] = seeds.absolute
    written.low, written.high = seeds.low.copy(), seeds.high.copy()
    written.missing_value = seeds.missing_value.copy()
    assert np.allclose(cal.Scorer(again).score(later, written), scorer.score(later, seeds))


def test_time_split_holds_out_the_latest_dates_and_purges_overlap():
    obs = synthetic(n_dates=12, per_date=10)
    train, purged, holdout = cal.split_dates(obs.observation_date, obs.horizon_end_date, 1 / 3)
    assert len(holdout) == 4
    assert max(train) < min(purged) < min(holdout)
    # a 90-day label window from a date 28, 56 or 84 days before the first held-out
    # date reaches into the held-out period: those dates are purged, none fitted
    assert len(purged) == 3
    for day in train:
        assert day + np.timedelta64(90, "D") < min(holdout)


def test_time_split_needs_two_dates():
    obs = synthetic(n_dates=1, per_date=10)
    with pytest.raises(cal.CalibrationError, match="at least 2"):
        cal.split_dates(obs.observation_date, obs.horizon_end_date, 1 / 3)


def test_calibrate_recommends_a_clear_held_out_gain(catalogue):
    # support drives churn, but the live weights give support only 0.10-0.15
    obs = synthetic(n_dates=14, per_date=600)
    result = run_calibrate(obs, catalogue)
    assert result.stages  # enough churners for at least one stage
    assert result.holdout_auc_candidate > result.holdout_auc_current
    assert result.verdict.recommended, result.verdict.reason
    assert result.difference.low > 0
    assert result.written is result.candidate
    for weights in result.candidate.component_weights.values():
        assert (weights >= 0).all() and weights.sum() == pytest.approx(1.0)
    assert (result.candidate.metric_weight >= 0).all()
    report = cal.format_report(result)
    assert "VERDICT: recommended" in report and "logistic regression" in report


def test_calibrate_refuses_a_worse_candidate(catalogue):
    # support drives churn on the training dates, usage on the held-out ones: what
    # the fit learns is worse later, and the verdict must say no
    obs = synthetic(n_dates=12, per_date=600, signal=lambda d: "support" if d < 8 else "usage")
    result = run_calibrate(obs, catalogue)
    assert result.train_auc_candidate > result.train_auc_current  # it did fit something
    assert result.holdout_auc_candidate < result.holdout_auc_current
    assert not result.verdict.recommended
    assert "not better" in result.verdict.reason
    assert result.written is result.current  # the files repeat the live configuration
    assert "VERDICT: declined" in cal.format_report(result)


def test_calibrate_declines_on_too_few_churners(catalogue):
    obs = synthetic(n_dates=8, per_date=40, base=-4.0)
    n_churned = int(obs.churned.sum())
    assert 0 < n_churned < 40
    result = run_calibrate(obs, catalogue, min_churned=20)
    assert result.stages == [] and result.skipped == ["everything"]
    assert not result.verdict.recommended and "too few" in result.verdict.reason
    assert result.written is result.current


def test_parameter_budget_skips_the_costly_stages(catalogue):
    obs = synthetic(n_dates=10, per_date=400)
    result = run_calibrate(obs, catalogue, churned_per_parameter=1e6)
    assert result.stages == [] and result.budget == 0
    assert not result.verdict.recommended
    # room for the component weights (4 each) of the three profiles with data (smb,
    # enterprise, renewal) and no more: the 10 threshold parameters are skipped
    result = run_calibrate(obs, catalogue, churned_per_parameter=result.train_churned / 12.5)
    assert result.budget == 12
    assert result.stages == ["component weights"]
    assert any(s.startswith("thresholds") for s in result.skipped)


def test_calibrate_is_deterministic(catalogue):
    obs = synthetic(n_dates=10, per_date=300)
    first, second = run_calibrate(obs, catalogue), run_calibrate(obs, catalogue)
    assert first.candidate.metric_weight.tolist() == second.candidate.metric_weight.tolist()
    assert first.verdict == second.verdict


# --------------------------------------------------------------------------- files and CLI


def test_read_weights_names_the_line_and_the_fix(tmp_path):
    bad = tmp_path / "w.csv"
    bad.write_text("profile,component,weight\ndefault,usage,0.5\ndefault,vibes,0.5\n")
    with pytest.raises(cal.CalibrationError, match=r"line 3: unknown component 'vibes'"):
        cal.read_weights(bad)
    bad.write_text("profile,component,weight\ndefault,usage,0.5\ndefault,value,0.4\n")
    with pytest.raises(cal.CalibrationError, match="sum to 0.9"):
        cal.read_weights(bad)


def test_candidate_catalogue_keeps_the_live_format(tmp_path):
    live = cal.read_metrics(LIVE_METRICS)
    cfg = cal.live_config(live, live_weights())
    cfg.absolute[0], cfg.low[0], cfg.high[0] = True, 0.123456789, 4.5
    cfg.metric_weight[1] = 0.0
    out = tmp_path / "m.csv"
    cal.write_metrics(live, cfg, out)
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    with LIVE_METRICS.open(newline="") as handle:
        live_rows = list(csv.DictReader(handle))
    assert [r["metric"] for r in rows] == [r["metric"] for r in live_rows]
    assert rows[0]["threshold_type"] == "absolute" and rows[0]["low"] == "0.123457"
    assert rows[1]["weight"] == "0.00"
    assert rows[2] == live_rows[2]  # untouched rows are byte-for-byte the live ones


def _observation_db(path: Path, obs: cal.MetricObservations) -> None:
    import duckdb
    import pyarrow as pa

    n, m = len(obs), len(obs.metrics)
    ids = [f"o{i:06d}" for i in range(n)]
    observations = pa.table({
        "observation_id": ids,
        "observation_date": pa.array(obs.observation_date.astype("datetime64[D]")),
        "horizon_end_date": pa.array(obs.horizon_end_date.astype("datetime64[D]")),
        "account_id": obs.account_id.astype(str).tolist(),
        "profile": obs.profile.astype(str).tolist(),
        "is_in_renewal_window": obs.in_renewal_window,
        "is_churned": obs.churned,
        "health_score": obs.health_score,
    })
    values = pa.array(obs.value_used.ravel(), mask=np.isnan(obs.value_used.ravel()))
    metric_rows = pa.table({
        "observation_id": np.repeat(np.array(ids), m).tolist(),
        "metric": obs.metrics * n,
        "metric_value": values,
        "metric_value_used": values,
        "metric_subscore": values,
    })
    con = duckdb.connect(str(path))
    con.execute("create schema backtest")
    con.register("observations_arrow", observations)
    con.register("metric_rows_arrow", metric_rows)
    con.execute("create table backtest.backtest_observations as select * from observations_arrow")
    con.execute("create table backtest.backtest_metric_observations as "
                "select * from metric_rows_arrow")
    con.close()


def _args(**kwargs) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cal.add_arguments(parser)
    argv = []
    for key, value in kwargs.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    return parser.parse_args(argv)


def test_loading_pivots_the_long_rows_back(tmp_path):
    obs = synthetic(n_dates=3, per_date=20)
    db = tmp_path / "h.duckdb"
    _observation_db(db, obs)
    loaded = cal.load_metric_observations(db).align(METRICS)
    assert len(loaded) == len(obs)
    assert np.allclose(loaded.value_used, obs.value_used, equal_nan=True)
    assert loaded.churned.tolist() == obs.churned.tolist()


def test_run_writes_valid_candidates_and_leaves_the_live_seeds(tmp_path, capsys):
    obs = synthetic(n_dates=9, per_date=200)
    db = tmp_path / "h.duckdb"
    _observation_db(db, obs)
    metrics = write_catalogue(tmp_path / "health_metrics.csv")
    live_before = (LIVE_WEIGHTS.read_bytes(), LIVE_METRICS.read_bytes())
    out = tmp_path / "out" / "health_weights.candidate.csv"
    metrics_out = tmp_path / "out" / "health_metrics.candidate.csv"
    rc = cal.run(_args(db=db, out=out, metrics_out=metrics_out, metrics=metrics, resamples=50))
    assert rc == 0
    assert (LIVE_WEIGHTS.read_bytes(), LIVE_METRICS.read_bytes()) == live_before
    candidate = cal.read_weights(out)  # validates components, >= 0, sums to 1
    assert set(candidate.weights) == set(live_weights())
    assert cal.read_metrics(metrics_out).metrics == METRICS
    printed = capsys.readouterr().out
    assert "VERDICT:" in printed and "unchanged" in printed


def test_run_refuses_to_overwrite_the_live_seeds(tmp_path, capsys):
    assert cal.run(_args(db=tmp_path / "missing.duckdb", out=LIVE_WEIGHTS)) == 2
    assert "live seed" in capsys.readouterr().err
    assert cal.run(_args(db=tmp_path / "missing.duckdb", out=tmp_path / "w.csv",
                         metrics_out=ROOT / "seeds" / "x.csv")) == 2
    assert "live seed" in capsys.readouterr().err


def test_run_explains_a_missing_database(tmp_path, capsys):
    rc = cal.run(_args(db=tmp_path / "missing.duckdb", out=tmp_path / "c.csv"))
    assert rc == 2
    assert "health build" in capsys.readouterr().err
