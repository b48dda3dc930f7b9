app_name = "commentary"
urlpatterns = []
