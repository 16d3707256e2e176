from ninja import Router

PREFIX = "/outreach"
router = Router(tags=["站点工作台"])
