from django_tasks import task

from pendopo.privacy import retention


@task()
def apply_retention() -> dict[str, int]:
    """The daily retention run: erase or anonymise what is past its term, in every region."""
    return retention.apply_all()
