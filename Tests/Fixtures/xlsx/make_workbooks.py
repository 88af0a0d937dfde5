"""Writes the Excel workbooks the spreadsheet tests read, with openpyxl (as Excel or WPS would save them).

usage: python make_workbooks.py OUTPUT_FOLDER
"""
import datetime
import sys

from openpyxl import Workbook
from openpyxl.styles import numbers

out = sys.argv[1]

# indicators.xlsx: a Chinese sheet name first, typed columns, a second sheet, shared strings, an empty cell.
book = Workbook()
sheet = book.active
sheet.title = "指标"
sheet.append(["指标", "2020年", "2023年", "认定日期", "数量", "达标"])
sheet.append(["在孵企业营业收入", 47722.2, 0.1, datetime.date(2021, 3, 4), "2000余", True])
sheet.append(["研发投入", 15.3, 0.2, datetime.date(2023, 12, 31), 120, False])
sheet.append(["专利", 8, None, datetime.date(2020, 1, 1), "近120", True])
for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
    for cell in row:
        cell.number_format = "yyyy年m月d日"
other = book.create_sheet("其他")
other.append(["名称", "数值"])
other.append(["甲", 1])
other.append(["乙", 2.5])
book.save(f"{out}/indicators.xlsx")

# broken.xlsx: an error value in a cell (C3), as a formula that divides by zero leaves it.
book = Workbook()
sheet = book.active
sheet.title = "数据"
sheet.append(["名称", "数值", "比例"])
sheet.append(["甲", 1, 0.5])
sheet.append(["乙", 2, "#DIV/0!"])
book.save(f"{out}/broken.xlsx")
