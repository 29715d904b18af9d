"""A small hand-written corpus of offers and needs for the engine tests."""

from __future__ import annotations

from app.matching.engine import NeedRecord, OfferRecord

OFFERS: list[OfferRecord] = [
    OfferRecord(
        id="o-phan-bon",
        title="Quy trình sản xuất phân bón vi sinh từ phụ phẩm nông nghiệp",
        description="Ủ phế phụ phẩm như rơm rạ, vỏ cà phê bằng chế phẩm vi sinh để làm phân bón"
        " hữu cơ vi sinh, giảm phân hóa học và cải tạo đất.",
        keywords=("phân bón vi sinh", "phân hữu cơ", "phụ phẩm nông nghiệp"),
        field_code="401",
        province_code="25",
        trl=7,
        price_min_vnd=150_000_000,
        price_max_vnd=300_000_000,
        transfer_forms=("licence", "technical_service"),
    ),
    OfferRecord(
        id="o-may-say",
        title="Máy sấy bơm nhiệt cho nông sản và dược liệu",
        description="Máy sấy nhiệt độ thấp giữ màu, mùi và dinh dưỡng của trái cây, rau củ,"
        " dược liệu; tiết kiệm điện so với sấy bằng điện trở.",
        keywords=("máy sấy", "bơm nhiệt", "sấy nông sản"),
        field_code="2",
        province_code="01",
        trl=8,
        price_min_vnd=250_000_000,
        price_max_vnd=400_000_000,
        transfer_forms=("assignment",),
    ),
    OfferRecord(
        id="o-iot-ao",
        title="Hệ thống IoT giám sát oxy hoà tan cho ao nuôi thuỷ sản",
        description="Cảm biến đo oxy hoà tan, nhiệt độ, pH; cảnh báo qua điện thoại và tự động"
        " bật máy sục khí khi thiếu oxy.",
        keywords=("IoT", "oxy hoà tan", "nuôi trồng thuỷ sản", "sục khí"),
        field_code="2",
        province_code="25",
        trl=7,
    ),
    OfferRecord(
        id="o-nam-rom",
        title="Kỹ thuật trồng nấm rơm và nấm bào ngư trên phụ phẩm",
        description="Chuyển giao quy trình trồng nấm trên rơm rạ, mùn cưa; xử lý giá thể,"
        " khử trùng và chăm sóc.",
        keywords=("trồng nấm", "nấm rơm", "nấm bào ngư"),
        field_code="4",
        trl=9,
    ),
    OfferRecord(
        id="o-che",
        title="Dây chuyền chế biến chè xanh chất lượng cao",
        description="Thiết bị diệt men, vò, sấy chè xanh quy mô hợp tác xã; đạt tiêu chuẩn"
        " an toàn thực phẩm.",
        keywords=("chế biến chè", "chè xanh", "hợp tác xã"),
        field_code="2",
        province_code="25",
        trl=8,
    ),
    OfferRecord(
        id="o-telehealth",
        title="Nền tảng khám chữa bệnh từ xa cho trạm y tế xã",
        description="Kết nối bác sĩ tuyến tỉnh với trạm y tế qua video, hội chẩn và kê đơn.",
        keywords=("khám bệnh từ xa", "trạm y tế", "y tế cơ sở"),
        field_code="3",
        trl=9,
    ),
    OfferRecord(
        id="o-stem",
        title="Phòng học STEM và robot giáo dục cho trường phổ thông",
        description="Bộ thiết bị, học liệu và tập huấn giáo viên dạy STEM, lập trình robot.",
        keywords=("STEM", "robot giáo dục", "thiết bị dạy học"),
        field_code="5",
        trl=8,
    ),
    OfferRecord(
        id="o-nuoc-thai",
        title="Xử lý nước thải chăn nuôi lợn bằng biogas và đất ngập nước",
        description="Hầm biogas kết hợp bãi lọc trồng cây giảm mùi, đạt quy chuẩn xả thải.",
        keywords=("nước thải chăn nuôi", "biogas", "đất ngập nước"),
        field_code="2",
        trl=7,
    ),
    OfferRecord(
        id="o-mat-troi",
        title="Hệ thống điện mặt trời áp mái cho trang trại",
        description="Tấm pin năng lượng mặt trời kèm bộ lưu trữ, cấp điện cho bơm tưới và"
        " chuồng trại.",
        keywords=("điện mặt trời", "năng lượng tái tạo", "trang trại"),
        field_code="2",
        trl=9,
    ),
    OfferRecord(
        id="o-giong-ca",
        title="Sản xuất giống cá lăng và cá chiên nhân tạo",
        description="Kỹ thuật nuôi vỗ cá bố mẹ, kích thích sinh sản và ương cá bột.",
        keywords=("giống cá", "cá lăng", "thủy sản nước ngọt"),
        field_code="4",
        trl=7,
    ),
    OfferRecord(
        id="o-ca-phe",
        title="Chế biến cà phê nhân theo phương pháp lên men ướt",
        description="Quy trình lên men có kiểm soát giúp cà phê nhân đồng đều, hương vị tốt,"
        " phù hợp cà phê đặc sản.",
        keywords=("cà phê", "lên men", "cà phê đặc sản"),
        field_code="4",
        trl=8,
    ),
    OfferRecord(
        id="o-bao-quan",
        title="Bảo quản trái cây tươi bằng màng bao sinh học",
        description="Màng chitosan kéo dài thời gian bảo quản xoài, thanh long, bưởi"
        " thêm 2–3 tuần.",
        keywords=("bảo quản sau thu hoạch", "màng bao", "trái cây"),
        field_code="4",
        trl=6,
    ),
    OfferRecord(
        id="o-drone",
        title="Thiết bị bay không người lái phun thuốc bảo vệ thực vật",
        description="Drone phun thuốc cho lúa và cây ăn quả, giảm lượng thuốc và công lao động.",
        keywords=("drone", "phun thuốc", "bảo vệ thực vật"),
        field_code="2",
        trl=9,
    ),
    OfferRecord(
        id="o-qr",
        title="Truy xuất nguồn gốc nông sản bằng mã QR",
        description="Phần mềm ghi nhật ký sản xuất, in tem QR cho từng lô hàng.",
        keywords=("truy xuất nguồn gốc", "mã QR", "nhật ký điện tử"),
        field_code="2",
        trl=9,
    ),
    OfferRecord(
        id="o-gach",
        title="Công nghệ sản xuất gạch không nung từ tro xỉ",
        description="Tận dụng tro xỉ nhà máy nhiệt điện làm gạch bê tông nhẹ.",
        keywords=("gạch không nung", "tro xỉ", "vật liệu xây dựng"),
        field_code="2",
        trl=8,
    ),
]

NEED_FERTILIZER = NeedRecord(
    id="n-phan-bon",
    title="HTX cần công nghệ làm phân bón vi sinh từ rơm rạ và phụ phẩm",
    description="Hợp tác xã trồng lúa muốn tận dụng rơm rạ, phụ phẩm nông nghiệp để sản xuất"
    " phân hữu cơ vi sinh, thay một phần phân hóa học.",
    keywords=("phân bón vi sinh", "rơm rạ", "phân hữu cơ"),
    field_code="401",
    province_code="25",
    desired_trl_min=6,
    budget_max_vnd=200_000_000,
    transfer_forms=("licence",),
)

NEED_POND = NeedRecord(
    id="n-ao-tom",
    title="Hộ nuôi tôm cần thiết bị cảnh báo thiếu oxy hòa tan trong ao",
    description="Ao tôm hay bị thiếu oxy về đêm; cần cảm biến và tự động bật sục khí.",
    keywords=("oxy hòa tan", "cảnh báo", "sục khí", "ao nuôi"),
    field_code="4",
    desired_trl_min=6,
)

NEEDS: list[NeedRecord] = [
    NEED_FERTILIZER,
    NEED_POND,
    NeedRecord(
        id="n-say",
        title="Cơ sở chế biến cần máy sấy trái cây",
        description="Cần máy sấy giữ màu trái cây, công suất nhỏ.",
        keywords=("máy sấy", "trái cây sấy"),
        field_code="2",
        desired_trl_min=7,
    ),
]
