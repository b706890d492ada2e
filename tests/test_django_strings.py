"""Django's strings that its Indonesian catalogue gets wrong or lacks read well in ours (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.test import Client
from django.urls import reverse
from django.utils import translation


def test_the_empty_choice_of_a_select_is_indonesian() -> None:
    with translation.override("id"):
        assert str(BLANK_CHOICE_LABEL) == "- Pilih salah satu -"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("login"), reverse("admin:login")])
def test_a_wrong_login_names_the_username_once(client: Client, url: str, editor: Any) -> None:
    response = client.post(url, {"username": editor.username, "password": "salah-sekali"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "nama pengguna nama pengguna" not in html.lower()
    assert "Masukkan nama pengguna dan kata sandi yang benar" in html
