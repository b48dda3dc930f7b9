"""Models' choices built from :mod:`bilan.vocabularies`, where each code and its label are declared once."""

from django.db import models


def vocabulary_choices(name: str, labels: dict[str, str], module: str) -> type[models.TextChoices]:
    """``TextChoices`` with one member per code of ``labels``, in their order, named by the code in capitals.

    ``MailStatus = vocabulary_choices("MailStatus", MAIL_STATUSES, __name__)``
    gives ``MailStatus.SENT == "sent"``, shown « Envoyé ». ``module`` is the
    caller's ``__name__``: the class belongs to the module that assigns it.
    """
    members = [(code.upper(), (code, label)) for code, label in labels.items()]
    return models.TextChoices(name, members, module=module, qualname=name)
