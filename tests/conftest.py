"""Fixtures shared by the tests: the framework and a dialogue engine, loaded once a run, and a
fresh session for each test."""

import pytest

from reflect_bot.dialogue import Engine
from reflect_bot.framework import load_framework
from reflect_bot.locations import Settings
from reflect_bot.prompts import load_bank
from reflect_bot.session import Session


@pytest.fixture(scope="session")
def framework():
    return load_framework(Settings.load().framework_dir)


@pytest.fixture(scope="session")
def engine(framework):
    return Engine(framework, load_bank(Settings.load(environ={}).prompts_dir))


@pytest.fixture
def session(framework):
    return Session(name="test", framework_id=framework.id, framework_version=framework.version)
