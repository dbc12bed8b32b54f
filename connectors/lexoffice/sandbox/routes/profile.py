"""/v1/profile, /v1/ping, /v1/countries, /v1/payment-conditions and the webhook public key."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..countries import COUNTRIES
from .common import org_of, runtime_of

PAYMENT_CONDITIONS = [
    {
        "id": "65be0654-60b6-11eb-b66d-5731dbc9bf6b",
        "paymentTermLabelTemplate": "Zahlbar in {paymentRange} Tagen, rein netto ohne Abzug",
        "paymentTermDuration": 14,
        "organizationDefault": True,
    },
    {
        "id": "3fcc62d1-0925-456d-890b-779b56e7289e",
        "paymentTermLabelTemplate": "10 Tage - 3 %, 30 Tage netto",
        "paymentTermDuration": 30,
        "paymentDiscountConditions": {"discountRange": 10, "discountPercentage": 3.00},
        "organizationDefault": False,
    },
]


async def get_profile(request: Request) -> Response:
    config = org_of(request).config
    body = {
        "organizationId": config.organization_id,
        "companyName": config.company_name,
        "created": {
            "userId": config.user_id,
            "userName": config.user_name,
            "userEmail": config.user_email,
            "date": "2017-01-03T13:15:45.000+01:00",
        },
        "connectionId": config.connection_id,
        "features": ["cashbox"],
        "businessFeatures": list(config.business_features),
        "subscriptionStatus": "active",
        "taxType": config.tax_type,
        "smallBusiness": config.small_business,
    }
    if config.distance_sales_principle:
        body["distanceSalesPrinciple"] = config.distance_sales_principle
    return JSONResponse(body)


async def ping(request: Request) -> Response:
    return JSONResponse({"userEmail": org_of(request).config.user_email})


async def list_countries(request: Request) -> Response:
    return JSONResponse(COUNTRIES)


async def list_payment_conditions(request: Request) -> Response:
    return JSONResponse(PAYMENT_CONDITIONS)


async def public_key(request: Request) -> Response:
    """lexoffice publishes the key on its developer site; the sandbox serves its own."""
    pem = runtime_of(request).signer.public_pem()
    return Response(pem, media_type="application/x-pem-file")


ROUTES = [
    Route("/v1/profile", get_profile, methods=["GET"]),
    Route("/v1/ping", ping, methods=["GET"]),
    Route("/v1/countries", list_countries, methods=["GET"]),
    Route("/v1/payment-conditions", list_payment_conditions, methods=["GET"]),
    Route("/webhookSignature/public/public_key.pub", public_key, methods=["GET"]),
]
