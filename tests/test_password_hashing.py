"""Argon2 cost: strong in production (refused below the floor), cheap only when allowed."""

from typing import Any

import pytest
from argon2 import extract_parameters
from pydantic import ValidationError

from app import cli
from app.auth import security
from app.auth.security import HashParams, configure_from_settings, hash_password
from app.config import Settings
from app.main import create_app

STRONG: dict[str, Any] = {"allow_weak_password_hashing": False}
WEAK: dict[str, Any] = {
    "password_hash_time_cost": 1,
    "password_hash_memory_kib": 8,
    "password_hash_parallelism": 1,
}


@pytest.fixture(autouse=True)
def _restore_hasher() -> Any:
    yield
    configure_from_settings(Settings())  # back to the suite's cheap parameters


def test_defaults_are_strong_and_accepted() -> None:
    settings = Settings(
        _env_file=None,
        **STRONG,
        password_hash_time_cost=3,
        password_hash_memory_kib=65_536,
        password_hash_parallelism=4,
    )
    assert Settings.model_fields["password_hash_memory_kib"].default == 65_536
    assert Settings.model_fields["password_hash_time_cost"].default == 3
    assert Settings.model_fields["allow_weak_password_hashing"].default is False
    configure_from_settings(settings)
    params = extract_parameters(hash_password("mat-khau-du-dai"))
    assert (params.time_cost, params.memory_cost, params.parallelism) == (3, 65_536, 4)


@pytest.mark.parametrize("weak", [{"password_hash_memory_kib": 8}, {"password_hash_time_cost": 1}])
def test_weak_parameters_are_refused_unless_allowed(weak: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="ALLOW_WEAK_PASSWORD_HASHING"):
        Settings(**STRONG, **weak)
    Settings(allow_weak_password_hashing=True, **weak)  # tests and development


def test_the_application_refuses_to_start_with_weak_parameters(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TECHMATCH_ALLOW_WEAK_PASSWORD_HASHING", "false")
    cli.get_settings.cache_clear()
    try:
        with pytest.raises(ValidationError):
            create_app()  # reads the environment, as the ASGI entry point does
        assert cli.main(["db", "status"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "ALLOW_WEAK_PASSWORD_HASHING" in err
    finally:
        cli.get_settings.cache_clear()


def test_configured_parameters_are_used_and_old_hashes_still_verify() -> None:
    security.configure_password_hashing(HashParams(3, 65_536, 4))
    strong = hash_password("mat-khau-du-dai")
    configure_from_settings(Settings(allow_weak_password_hashing=True, **WEAK))
    cheap = hash_password("mat-khau-du-dai")
    params = extract_parameters(cheap)
    assert (params.time_cost, params.memory_cost, params.parallelism) == (1, 8, 1)
    assert security.verify_password(strong, "mat-khau-du-dai")
    assert security.verify_password(cheap, "mat-khau-du-dai")
    assert not security.verify_password(cheap, "sai-mat-khau")
    assert not security.verify_password(None, "mat-khau-du-dai")
