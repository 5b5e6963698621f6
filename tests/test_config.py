from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.config import SETTINGS, Config, load_config
from dragoman.errors import ConfigError


def test_defaults_match_declared_settings() -> None:
    cfg = load_config(env={})
    for s in SETTINGS:
        assert getattr(cfg, s.name) == s.default


def test_layers_file_then_env_then_flags(tmp_path: Path) -> None:
    f = tmp_path / "dragoman.toml"
    f.write_text('[dragoman]\nbatch_size = 8\nworkers = 3\nmodel = "from_file"\n')
    cfg = load_config(f, env={"DRAGOMAN_WORKERS": "4", "DRAGOMAN_MODEL": "from_env"},
                      model="from_flag")
    assert (cfg.batch_size, cfg.workers, cfg.model) == (8, 4, "from_flag")


def test_unknown_and_invalid_settings_are_clear_errors(tmp_path: Path) -> None:
    f = tmp_path / "c.json"
    f.write_text('{"batch_sise": 3}')
    with pytest.raises(ConfigError, match="batch_sise"):
        load_config(f, env={})
    with pytest.raises(ConfigError, match="workers"):
        load_config(env={"DRAGOMAN_WORKERS": "many"})
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.toml", env={})
    with pytest.raises(ConfigError, match="cluster_min_alike"):
        load_config(env={"DRAGOMAN_CLUSTER_MIN_ALIKE": "high"})
    with pytest.raises(ConfigError, match="cluster_min_alike"):
        load_config(env={"DRAGOMAN_CLUSTER_MIN_ALIKE": "nan"})


def test_a_number_setting_reads_a_decimal() -> None:
    assert load_config(env={"DRAGOMAN_CLUSTER_MIN_ALIKE": "0.5"}).cluster_min_alike == 0.5
    assert load_config(env={}, cluster_min_alike=2).cluster_min_alike == 2.0


def test_list_settings_from_env_use_path_separator() -> None:
    cfg = load_config(env={"DRAGOMAN_LEXICON": "a.yaml:b.yaml"})
    assert cfg.lexicon == ("a.yaml", "b.yaml")
    assert Config().replace(workers=2).workers == 2
