"""Where the app's templates and static files are, however the package was installed."""

from importlib.resources import files
from pathlib import Path


def asset_folder(name: str) -> str:
    """The folder `name` ("templates" or "static") as the package carries it.

    A built wheel holds both inside the package; an editable install of a checkout leaves
    them at the project's top level, beside the package, where the project keeps them.
    """
    packaged = Path(str(files("insights"))) / name
    if packaged.is_dir():
        return str(packaged)
    return str(Path(str(files("insights"))).parent / name)
