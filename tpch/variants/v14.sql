-- Stand-in for Q14 while the compiler rejects INTERVAL and LIKE: the date range folded, and
-- p_type LIKE 'PROMO%' as the list of the 25 PROMO types the domain has.
CREATE STREAM TABLE tpch_v14 AS
SELECT
    100.00 * sum(CASE
        WHEN p_type IN (
            'PROMO ANODIZED TIN', 'PROMO ANODIZED NICKEL', 'PROMO ANODIZED BRASS', 'PROMO ANODIZED STEEL', 'PROMO ANODIZED COPPER',
            'PROMO BURNISHED TIN', 'PROMO BURNISHED NICKEL', 'PROMO BURNISHED BRASS', 'PROMO BURNISHED STEEL', 'PROMO BURNISHED COPPER',
            'PROMO PLATED TIN', 'PROMO PLATED NICKEL', 'PROMO PLATED BRASS', 'PROMO PLATED STEEL', 'PROMO PLATED COPPER',
            'PROMO POLISHED TIN', 'PROMO POLISHED NICKEL', 'PROMO POLISHED BRASS', 'PROMO POLISHED STEEL', 'PROMO POLISHED COPPER',
            'PROMO BRUSHED TIN', 'PROMO BRUSHED NICKEL', 'PROMO BRUSHED BRASS', 'PROMO BRUSHED STEEL', 'PROMO BRUSHED COPPER')
            THEN l_extendedprice * (1 - l_discount)
        ELSE 0
    END) / sum(l_extendedprice * (1 - l_discount)) AS promo_revenue
FROM
    lineitem,
    part
WHERE
    l_partkey = p_partkey
    AND l_shipdate >= date '1995-09-01'
    AND l_shipdate < date '1995-10-01';
