"""Frame rules: pages may never be framed by other sites, but Wagtail's preview frames
admin views inside the admin itself, so admin responses say SAMEORIGIN. Django's
XFrameOptionsMiddleware (X_FRAME_OPTIONS = "DENY") leaves a header already set alone."""


class AdminSameOriginFramesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") and "X-Frame-Options" not in response:
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response
