"""URL converters: ids in paths are checked to range before any view sees them."""

from werkzeug.routing import IntegerConverter

from insights.core.ids import MAX_ID


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that only matches ids the database can hold; longer numbers are not found."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
