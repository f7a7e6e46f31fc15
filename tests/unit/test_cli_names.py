"""`ckan openoverheid`: English command names, added by each plugin to one group; the Dutch names of
before are hidden aliases of the same commands."""

from __future__ import annotations

from ckanext.openoverheid import cli
from ckanext.openoverheid.attenderingen import cli as attenderingen_cli
from ckanext.openoverheid.harvest import cli as harvest_cli
from ckanext.openoverheid.meldingen import cli as meldingen_cli
from ckanext.openoverheid.verzoeken import cli as verzoeken_cli
from ckanext.openoverheid.woo import cli as woo_cli

ALIASES = {"herbeoordeel": "review", "openheidsregister-dataset": "register-dataset", "herindexeer": "reindex",
           "oogst": "harvest-now"}


def _group():
    groups = [cli.get_commands()[0], harvest_cli.get_commands()[0], meldingen_cli.get_commands()[0],
              woo_cli.get_commands()[0], attenderingen_cli.get_commands()[0], verzoeken_cli.get_commands()[0]]
    assert all(group is groups[0] for group in groups), "every plugin must add to the one group"
    return groups[0]


def test_every_plugin_adds_its_commands_to_the_one_group() -> None:
    visible = {name for name, command in _group().commands.items() if not command.hidden}
    assert visible == {"demo", "export", "register-dataset", "review", "reindex", "harvest-now", "open311-key",
                       "meldingen", "woo", "attenderingen", "verzoeken", "quality"}


def test_the_dutch_names_are_hidden_aliases_of_the_english_commands() -> None:
    commands = _group().commands
    for old, new in ALIASES.items():
        assert commands[old].hidden and not commands[new].hidden
        assert commands[old].callback is commands[new].callback
        assert [p.name for p in commands[old].params] == [p.name for p in commands[new].params]


def test_options_answer_to_their_english_and_dutch_names() -> None:
    commands = _group().commands
    flags = {option: command for command in ("review", "register-dataset")
             for param in commands[command].params for option in param.opts}
    for english, dutch in (("--date", "--datum"), ("--mode", "--modus"), ("--organization", "--organisatie")):
        assert flags[english] == flags[dutch]
