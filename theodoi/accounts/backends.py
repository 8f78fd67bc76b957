"""The sign-in backend: Django's, reading the signed-in person with their ward and unit."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    """Every page asks for the person's ward (what they may see, the menu) and most for their
    unit: read in the one query that reads the person, not in two more on each request."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("organization", "unit").get(
                pk=user_id
            )
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
