"""Drives the provider sandbox's Shopify emulation with Shopify's official Python library
(ShopifyAPI on PyPI): pages products through the Link header, creates and reads a product.
Prints one JSON object for ShopifyOfficialClientTests to check.

ShopifyAPI builds https://<shop>.myshopify.com/admin/api/<version> from a session; after
activating the session the resource site is pointed at the sandbox's plain-http loopback mount,
which the library accepts (it follows the Link header's absolute URLs from then on).
"""
import json
import sys

try:
    import shopify
except ImportError as error:
    print(json.dumps({"error": f"ShopifyAPI is not installed ({error}): pip install ShopifyAPI"}))
    sys.exit(3)

port = sys.argv[1]
shop = "hub-sandbox.myshopify.com"
session = shopify.Session(shop, "2024-01", "shpat_sandbox")
shopify.ShopifyResource.activate_session(session)
shopify.ShopifyResource.set_site(f"http://127.0.0.1:{port}/shopify/{shop}/admin/api/2024-01")

result = {"shop": shopify.Shop.current().myshopify_domain}
page = shopify.Product.find(limit=10)
ids = [product.id for product in page]
pages = 1
while page.has_next_page():
    page = page.next_page()
    ids += [product.id for product in page]
    pages += 1
result.update({"products": len(ids), "unique": len(set(ids)), "pages": pages})

product = shopify.Product()
product.title = "Made by ShopifyAPI"
product.variants = [shopify.Variant({"price": "9.99", "sku": "PY-1"})]
result["saved"] = product.save()
found = shopify.Product.find(product.id)
result.update({"created_title": found.title, "created_price": found.variants[0].price})

invalid = shopify.Product()
invalid.vendor = "No title"
result["invalid_saved"] = invalid.save()
result["invalid_errors"] = invalid.errors.full_messages()
print(json.dumps(result))
