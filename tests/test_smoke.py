async def test_smoke(api):
    data = await api.ok("{ defaultPipeline { id name stages { name probability kind leads(first: 5) { totalCount totalValue edges { node { title } } } } } }")
    print(data)
    r = await api.post('mutation { createLead(input: {title: "Acme deal", value: "1200.50"}) { lead { id title value stage { name } version } errors { field code message } } }')
    print(r)
    r = await api.post('mutation { createLead(input: {title: "  "}) { lead { id } errors { field code message } } }')
    print(r)
    r = await api.post('{ leads(first: 10) { totalCount totalValue weightedValue edges { cursor node { id title value stage { name pipeline { name } } timeline { totalCount edges { node { kind data } } } } } } }')
    print(r)
