from django.http import HttpResponse


def start(request, token):
    return HttpResponse("")


section = review = receipt = start
