from django.http import HttpResponse


def workspace(request):
    return HttpResponse("")
