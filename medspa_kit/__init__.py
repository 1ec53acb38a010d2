"""medspa-kit: will insurance pay for this med-spa service, and if not, what will it really cost?

The core (this package minus ``widgets``) is plain Python and pandas: it imports no widget or
plotting library, and imports the ICD-10-CM code set only when a code outside the bundled
catalog has to be checked.

>>> from medspa_kit import evaluate, preset
>>> evaluate(preset("botox-forehead-lines")).headline
'denied — PR 204 Not a covered benefit — patient pays $480.00'
"""

from __future__ import annotations

from ._lazy import lazy

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: the command starts sooner)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "evaluate",
    "evaluate_frame",
    "Scenario",
    "Outcome",
    "MedspaError",
    "ScenarioError",
    "DatasetError",
    "load_catalog",
    "default_catalog",
    "validate_datasets",
    "preset",
    "preset_names",
    "load_scenario",
    "save_scenario",
]

_LAZY = {
    "evaluate": ".engine",
    "evaluate_frame": ".batch",
    "Scenario": ".model",
    "load_scenario": ".model",
    "save_scenario": ".model",
    "Outcome": ".outcome",
    "MedspaError": ".errors",
    "ScenarioError": ".errors",
    "DatasetError": ".errors",
    "load_catalog": ".catalog",
    "default_catalog": ".catalog",
    "validate_datasets": ".validation",
    "preset": ".presets",
    "preset_names": ".presets",
}

if TYPE_CHECKING:
    from .batch import evaluate_frame
    from .catalog import default_catalog, load_catalog
    from .validation import validate_datasets
    from .engine import evaluate
    from .errors import DatasetError, MedspaError, ScenarioError
    from .model import Scenario, load_scenario, save_scenario
    from .outcome import Outcome
    from .presets import preset, preset_names


# Lazy so that `import medspa_kit` (and `medspa-kit --version`) stays cheap.
__getattr__ = lazy(__name__, _LAZY, globals())


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
